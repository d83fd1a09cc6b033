package dev.slotcache.hibernate;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** Unversioned, so only the soft locks keep the cache consistent under concurrent updates. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Counter extends TestEntity {
  @Column(name = "val")
  private long value;

  protected Counter() {
  }

  public Counter(Long id, long value) {
    super(id);
    this.value = value;
  }

  public long getValue() {
    return value;
  }

  public void setValue(long value) {
    this.value = value;
  }
}
