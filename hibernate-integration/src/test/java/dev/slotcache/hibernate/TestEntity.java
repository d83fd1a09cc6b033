package dev.slotcache.hibernate;

import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

/** The id of the test entities: assigned by the test, never generated, so that two servers name the same row. */
@MappedSuperclass
public abstract class TestEntity {
  @Id
  private Long id;

  protected TestEntity() {
  }

  protected TestEntity(Long id) {
    this.id = id;
  }

  public Long getId() {
    return id;
  }
}
