package dev.slotcache.examples.orm;

import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/** Builds the showcase's SessionFactories: H2 in memory, Slotcache as the second-level cache. */
public final class Library {

  private Library() {
  }

  /**
   * One "application server": a SessionFactory on the shared database {@code jdbcUrl} whose second-level cache
   * lives under {@code cacheUri} (a {@code redis://…/namespace} URI).
   */
  public static SessionFactory server(String jdbcUrl, String cacheUri, boolean createSchema) {
    return new Configuration()
        .addAnnotatedClass(Book.class)
        .setProperty("hibernate.connection.url", jdbcUrl)
        .setProperty("hibernate.connection.username", "sa")
        .setProperty("hibernate.connection.password", "")
        .setProperty("hibernate.hbm2ddl.auto", createSchema ? "create-drop" : "none")
        .setProperty("hibernate.generate_statistics", "true")
        // readme:showcase-hibernate
        .setProperty("hibernate.cache.use_second_level_cache", "true")
        .setProperty("hibernate.cache.region.factory_class", "slotcache")
        .setProperty("hibernate.cache.slotcache.uri", cacheUri)
        // end:showcase-hibernate
        .buildSessionFactory();
  }
}
