package dev.slotcache.benchmarks;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** The entity {@link HibernateBenchmark} looks up: a few columns, cached READ_WRITE when a cache is on. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class BenchItem {
  @Id
  private Long id;
  private String name;
  private String description;
  private long price;

  protected BenchItem() {
  }

  public BenchItem(Long id, String name, String description, long price) {
    this.id = id;
    this.name = name;
    this.description = description;
    this.price = price;
  }

  public String getName() {
    return name;
  }
}
