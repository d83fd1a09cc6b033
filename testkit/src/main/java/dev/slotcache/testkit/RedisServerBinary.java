package dev.slotcache.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a {@code redis-server} (6.2 or newer) to run: the one named by system property
 * {@code slotcache.redis-server} or environment variable {@code SLOTCACHE_REDIS_SERVER}, else
 * {@code redis-server} on the {@code PATH}, else the binary shipped inside the
 * {@code com.github.codemonstur:embedded-redis} jar, extracted once into the temp directory.
 */
public final class RedisServerBinary {

  private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)\\.(\\d+)");
  private static volatile Path resolved;

  private RedisServerBinary() {
  }

  /** The binary to use; resolved once per JVM. Throws IllegalStateException saying what was tried. */
  public static Path resolve() {
    Path binary = resolved;
    if (binary == null) {
      synchronized (RedisServerBinary.class) {
        if (resolved == null) {
          resolved = find();
        }
        binary = resolved;
      }
    }
    return binary;
  }

  /** The version {@code binary --version} reports, such as {@code 6.2.11}. */
  public static String version(Path binary) {
    try {
      Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      Matcher m = VERSION.matcher(output);
      if (!m.find()) {
        throw new IllegalStateException(binary + " --version printed no version: " + output.strip());
      }
      return m.group(1) + "." + m.group(2) + "." + m.group(3);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking " + binary, e);
    }
  }

  private static Path find() {
    List<String> tried = new ArrayList<>();
    String explicit = System.getProperty("slotcache.redis-server", System.getenv("SLOTCACHE_REDIS_SERVER"));
    if (explicit != null && !explicit.isBlank()) {
      Path path = Path.of(explicit);
      if (!Files.isExecutable(path)) {
        throw new IllegalStateException("slotcache.redis-server / SLOTCACHE_REDIS_SERVER names " + path
            + ", which is not an executable file");
      }
      return checked(path);
    }
    String pathVariable = System.getenv("PATH");
    if (pathVariable != null) {
      for (String dir : pathVariable.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, "redis-server");
        if (Files.isExecutable(candidate)) {
          try {
            return checked(candidate);
          } catch (IllegalStateException e) {
            tried.add(candidate + " (" + e.getMessage() + ")");
          }
        }
      }
    }
    tried.add("redis-server on the PATH");
    String resource = bundledName();
    if (resource != null) {
      try {
        return checked(extract(resource));
      } catch (IOException | IllegalStateException e) {
        tried.add("the bundled " + resource + " (" + e.getMessage() + ")");
      }
    } else {
      tried.add("a bundled binary (none for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ")");
    }
    throw new IllegalStateException("no usable redis-server (6.2 or newer) found; tried " + String.join(", ", tried)
        + ". Install Redis or set SLOTCACHE_REDIS_SERVER to a redis-server binary.");
  }

  private static Path checked(Path binary) {
    String version = version(binary);
    String[] parts = version.split("\\.");
    int major = Integer.parseInt(parts[0]);
    int minor = Integer.parseInt(parts[1]);
    if (major < 6 || (major == 6 && minor < 2)) {
      throw new IllegalStateException(binary + " is Redis " + version + "; 6.2 or newer is needed");
    }
    return binary;
  }

  private static String bundledName() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.contains("linux")) {
      return x64 ? "redis-server-6.2.6-v5-linux-amd64" : arm64 ? "redis-server-6.2.7-linux-arm64" : null;
    }
    if (os.contains("mac")) {
      return x64 ? "redis-server-6.2.6-v5-darwin-amd64" : arm64 ? "redis-server-6.2.6-v5-darwin-arm64" : null;
    }
    return null;
  }

  /** Copies the bundled binary to the temp directory once; concurrent JVMs each move a complete file into place. */
  private static Path extract(String resource) throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "slotcache-redis-" + System.getProperty("user.name", "user"));
    Files.createDirectories(dir);
    try (InputStream in = RedisServerBinary.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("resource " + resource + " is not on the class path (is embedded-redis a dependency?)");
      }
      byte[] bytes = in.readAllBytes();
      Path target = dir.resolve(resource + "-" + Integer.toHexString(java.util.Arrays.hashCode(bytes)));
      if (Files.isExecutable(target) && Files.size(target) == bytes.length) {
        return target;
      }
      Path temp = Files.createTempFile(dir, resource, ".part");
      Files.write(temp, bytes);
      if (!temp.toFile().setExecutable(true)) {
        throw new IOException("cannot make " + temp + " executable");
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    }
  }
}
