package dev.slotcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes a set's elements (or a map's entries) each encoded on its own, in byte order: the canonical form of an
 * unordered collection inside a key. Stateless, so thread-safe.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class SortedElementsSerializer extends Serializer<Object> {

  private final boolean map;

  /** @param map whether the serialized objects are maps (entries) rather than collections (elements) */
  SortedElementsSerializer(boolean map) {
    this.map = map;
  }

  @Override
  public void write(Kryo kryo, Output output, Object object) {
    List<byte[]> parts = new ArrayList<>();
    if (map) {
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) object).entrySet()) {
        Output part = new Output(64, -1);
        kryo.writeClassAndObject(part, entry.getKey());
        kryo.writeClassAndObject(part, entry.getValue());
        parts.add(part.toBytes());
      }
    } else {
      for (Object element : (Collection<?>) object) {
        Output part = new Output(64, -1);
        kryo.writeClassAndObject(part, element);
        parts.add(part.toBytes());
      }
    }
    parts.sort(Arrays::compareUnsigned);
    output.writeVarInt(parts.size(), true);
    for (byte[] part : parts) {
      output.writeVarInt(part.length, true);
      output.writeBytes(part);
    }
  }

  @Override
  public Object read(Kryo kryo, Input input, Class<?> type) {
    Object result = kryo.newInstance(type);
    int size = input.readVarInt(true);
    for (int i = 0; i < size; i++) {
      int length = input.readVarInt(true);
      Input part = new Input(input.readBytes(length));
      if (map) {
        Object key = kryo.readClassAndObject(part);
        ((Map) result).put(key, kryo.readClassAndObject(part));
      } else {
        ((Collection) result).add(kryo.readClassAndObject(part));
      }
    }
    return result;
  }
}
