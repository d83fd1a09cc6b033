package dev.slotcache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import javax.cache.Cache.Entry;

/**
 * Walks a cache segment by segment: lists a few segments' keys at a time, then reads each segment's values in one
 * batch. Entries written after their segment was listed may be missed; entries removed meanwhile are skipped; a
 * key this JVM cannot decode (class drift) is skipped, not judged. Not thread-safe (like any iterator).
 */
final class SegmentIterator<K, V> implements Iterator<Entry<K, V>> {

  private static final int SEGMENTS_PER_LISTING = 64;

  private final SlotcacheCache<K, V> cache;
  private int segment;
  private List<List<byte[]>> listed = List.of();
  private int listedFrom;
  private Iterator<Entry<K, V>> current = Collections.emptyIterator();
  private Entry<K, V> last;

  SegmentIterator(SlotcacheCache<K, V> cache) {
    this.cache = cache;
  }

  @Override
  public boolean hasNext() {
    while (!current.hasNext()) {
      if (segment >= cache.store.layout().segments() || cache.closed()) {
        return false;
      }
      current = readSegment(segment++);
    }
    return true;
  }

  @Override
  public Entry<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    last = current.next();
    return last;
  }

  @Override
  public void remove() {
    if (last == null) {
      throw new IllegalStateException("next() has not been called, or remove() was called already");
    }
    cache.remove(last.getKey());
    last = null;
  }

  private Iterator<Entry<K, V>> readSegment(int segmentIndex) {
    int segments = cache.store.layout().segments();
    if (segmentIndex >= listedFrom + listed.size()) {
      listedFrom = segmentIndex;
      listed = cache.store.keysOfSegments(segmentIndex, Math.min(SEGMENTS_PER_LISTING, segments - segmentIndex));
    }
    List<byte[]> keys = listed.get(segmentIndex - listedFrom);
    if (keys.isEmpty()) {
      return Collections.emptyIterator();
    }
    List<byte[]> records = cache.readForIteration(keys);
    List<Entry<K, V>> entries = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      V value = cache.values.decode(keys.get(i), records.get(i));
      if (value == null) {
        continue;
      }
      K key;
      try {
        key = cache.values.decodeKey(keys.get(i));
      } catch (RuntimeException e) {
        continue; // a key this JVM cannot read (class drift): skip it, it is not ours to judge
      }
      cache.iterated(keys.get(i));
      entries.add(new SlotcacheEntry<>(key, value));
    }
    return entries.iterator();
  }
}
