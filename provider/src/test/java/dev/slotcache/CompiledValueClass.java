package dev.slotcache;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A value class compiled while the test runs into a class loader of its own, a child of the test's: the provider's
 * class loader cannot see it, as it cannot see the classes of an application run with {@code java App.java}. Each
 * instance has a fresh class name, because a class loader that found a class once keeps answering with it.
 * Close it to close its loader and give the thread back the context class loader it had when the class was
 * compiled (so a test may set the context class loader at will).
 */
public final class CompiledValueClass implements AutoCloseable {

  private final URLClassLoader loader;
  private final Class<?> type;
  private final ClassLoader previousContext = Thread.currentThread().getContextClassLoader();

  private CompiledValueClass(URLClassLoader loader, Class<?> type) {
    this.loader = loader;
    this.type = type;
  }

  /** Compiles {@code probe.Ticket<random>} into {@code dir}: a final class with one String field, equals, hashCode. */
  public static CompiledValueClass compile(Path dir) {
    String simpleName = "Ticket" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String source = """
        package probe;

        public final class %1$s {
          private final String text;

          public %1$s(String text) {
            this.text = text;
          }

          @Override
          public boolean equals(Object other) {
            return other instanceof %1$s that && text.equals(that.text);
          }

          @Override
          public int hashCode() {
            return text.hashCode();
          }

          @Override
          public String toString() {
            return "%1$s[" + text + "]";
          }
        }
        """.formatted(simpleName);
    try {
      Path file = Files.createDirectories(dir.resolve("probe")).resolve(simpleName + ".java");
      Files.writeString(file, source);
      JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
      StringWriter diagnostics = new StringWriter();
      boolean compiled = compiler.getTask(diagnostics, null, null, List.of("-d", dir.toString()), null,
          compiler.getStandardFileManager(null, null, null).getJavaFileObjects(file)).call();
      if (!compiled) {
        throw new IllegalStateException("cannot compile " + file + ":\n" + diagnostics);
      }
      URLClassLoader loader = new URLClassLoader("probe-" + simpleName, new URL[] {dir.toUri().toURL()},
          CompiledValueClass.class.getClassLoader());
      return new CompiledValueClass(loader, Class.forName("probe." + simpleName, true, loader));
    } catch (MalformedURLException | ClassNotFoundException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The loader that sees the class (and, through its parent, everything the test sees). */
  public ClassLoader loader() {
    return loader;
  }

  public String name() {
    return type.getName();
  }

  /** A new instance holding {@code text}; equal instances hold equal texts. */
  public Object newInstance(String text) {
    try {
      return type.getConstructor(String.class).newInstance(text);
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
        | InvocationTargetException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    Thread.currentThread().setContextClassLoader(previousContext);
    loader.close();
  }
}
