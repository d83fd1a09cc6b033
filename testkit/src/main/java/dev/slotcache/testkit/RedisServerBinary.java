package dev.slotcache.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Finds a {@code redis-server} of version 6.2 or newer, in this order:
 * <ol>
 *   <li>the path in system property {@value #SYSTEM_PROPERTY} or else environment variable
 *       {@value #ENVIRONMENT_VARIABLE}; when set it must work, there is no fallback;</li>
 *   <li>{@code redis-server} on the {@code PATH} (one older than 6.2 is skipped);</li>
 *   <li>the binary for this OS and CPU inside the {@code com.github.codemonstur:embedded-redis} jar, extracted
 *       once into {@code ${java.io.tmpdir}/slotcache-redis-<user>/}.</li>
 * </ol>
 *
 * <p>Thread-safe. Several JVMs may extract at the same time: each writes a temp file and moves it into place
 * atomically, and a file already there is reused only if its size and CRC-32 match the bundled one (which
 * catches a truncated or damaged copy; the directory is created private to the user).
 */
public final class RedisServerBinary {

  /**
   * Prefix of the test kit's system properties: apart from the provider's {@code slotcache.}, whose keys the
   * provider reads (and rejects when unknown).
   */
  public static final String PROPERTY_PREFIX = "slotcache-testkit.";
  /** System property naming the {@code redis-server} to use. */
  public static final String SYSTEM_PROPERTY = PROPERTY_PREFIX + "redis-server";
  /** Environment variable naming the {@code redis-server} to use (the system property wins). */
  public static final String ENVIRONMENT_VARIABLE = "SLOTCACHE_REDIS_SERVER";

  private static final Pattern VERSION = Pattern.compile("\\bv=(\\d+)\\.(\\d+)\\.(\\d+)");
  private static final Map<Path, String> VERSIONS = new ConcurrentHashMap<>();
  private static volatile Path resolved;

  private RedisServerBinary() {
  }

  /**
   * The binary to run, resolved on the first call and then cached for the life of the JVM.
   *
   * @throws IllegalStateException naming every place that was tried, when none has a usable binary
   */
  public static Path resolve() {
    Path binary = resolved;
    if (binary == null) {
      synchronized (RedisServerBinary.class) {
        if (resolved == null) {
          resolved = find(System.getProperty(SYSTEM_PROPERTY, System.getenv(ENVIRONMENT_VARIABLE)),
              System.getenv("PATH"), defaultCacheDir());
        }
        binary = resolved;
      }
    }
    return binary;
  }

  /**
   * The version that {@code binary --version} reports, such as {@code 6.2.11}; cached per path.
   *
   * @throws IllegalStateException if the binary cannot be run or prints no version
   */
  public static String version(Path binary) {
    return VERSIONS.computeIfAbsent(binary.toAbsolutePath(), RedisServerBinary::runVersion);
  }

  static Path find(String explicit, String pathVariable, Path cacheDir) {
    if (explicit != null && !explicit.isBlank()) {
      Path path = Path.of(explicit);
      if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
        throw new IllegalStateException(SYSTEM_PROPERTY + " / " + ENVIRONMENT_VARIABLE + " names " + path
            + ", which is not an executable file");
      }
      return requireSupported(path);
    }
    List<String> tried = new ArrayList<>();
    Path onPath = findOnPath(pathVariable, tried);
    if (onPath != null) {
      return onPath;
    }
    String resource = bundledName(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    if (resource == null) {
      tried.add("a bundled binary (embedded-redis has none for " + System.getProperty("os.name") + "/"
          + System.getProperty("os.arch") + ")");
    } else {
      try {
        return requireSupported(extract(resource, cacheDir));
      } catch (IOException | IllegalStateException e) {
        tried.add("the bundled " + resource + " (" + e.getMessage() + ")");
      }
    }
    throw new IllegalStateException("no usable redis-server (6.2 or newer) found; tried: " + String.join("; ", tried)
        + ". Install Redis or point " + ENVIRONMENT_VARIABLE + " (or -D" + SYSTEM_PROPERTY + ") at a redis-server.");
  }

  private static Path findOnPath(String pathVariable, List<String> tried) {
    if (pathVariable == null || pathVariable.isBlank()) {
      tried.add("redis-server on the PATH (PATH is empty)");
      return null;
    }
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        try {
          return requireSupported(candidate);
        } catch (IllegalStateException e) {
          tried.add(e.getMessage());
        }
      }
    }
    tried.add("redis-server on the PATH (no usable one)");
    return null;
  }

  static Path requireSupported(Path binary) {
    String version = version(binary);
    String[] parts = version.split("\\.");
    int major = Integer.parseInt(parts[0]);
    int minor = Integer.parseInt(parts[1]);
    if (major < 6 || (major == 6 && minor < 2)) {
      throw new IllegalStateException(binary + " is Redis " + version + ", but 6.2 or newer is needed");
    }
    return binary;
  }

  private static String runVersion(Path binary) {
    Process process;
    try {
      process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + binary + " (" + e.getMessage()
          + "); if it lies on a noexec mount, point " + ENVIRONMENT_VARIABLE + " at a redis-server elsewhere", e);
    }
    try (InputStream in = process.getInputStream()) {
      String output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(binary + " --version did not finish within 10 s");
      }
      Matcher m = VERSION.matcher(output);
      if (!m.find()) {
        throw new IllegalStateException(binary + " --version printed no Redis version: " + output);
      }
      return m.group(1) + "." + m.group(2) + "." + m.group(3);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the output of " + binary + " --version: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + binary + " --version", e);
    }
  }

  static String bundledName(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.contains("linux")) {
      return x64 ? "redis-server-6.2.6-v5-linux-amd64" : arm64 ? "redis-server-6.2.7-linux-arm64" : null;
    }
    if (os.contains("mac") || os.contains("darwin")) {
      return x64 ? "redis-server-6.2.6-v5-darwin-amd64" : arm64 ? "redis-server-6.2.6-v5-darwin-arm64" : null;
    }
    return null;
  }

  private static Path defaultCacheDir() {
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
    return Path.of(System.getProperty("java.io.tmpdir"), "slotcache-redis-" + user);
  }

  /**
   * Extracts the resource to {@code cacheDir/<resource>-<crc32>} unless a file of the same size and CRC-32 is
   * already there. The CRC comes from the jar's directory, so an intact copy is reused without inflating the
   * resource.
   */
  static Path extract(String resource, Path cacheDir) throws IOException {
    URL url = RedisServerBinary.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new IOException("resource " + resource
          + " is not on the class path (com.github.codemonstur:embedded-redis is missing)");
    }
    long crc;
    long size;
    URLConnection connection = url.openConnection();
    if (connection instanceof JarURLConnection jar) {
      jar.setUseCaches(false); // our own JarFile, closed below, rather than one shared with the class loader
      try (JarFile file = jar.getJarFile()) {
        JarEntry entry = file.getJarEntry(jar.getEntryName());
        crc = entry.getCrc();
        size = entry.getSize();
      }
    } else {
      try (InputStream in = connection.getInputStream()) {
        CRC32 checksum = new CRC32();
        size = copy(in, OutputStream.nullOutputStream(), checksum);
        crc = checksum.getValue();
      }
    }
    Path target = cacheDir.resolve(resource + "-" + String.format("%08x", crc));
    if (isIntact(target, size, crc)) {
      return target;
    }
    createPrivateDirectories(cacheDir);
    Path temp = Files.createTempFile(cacheDir, resource + "-", ".part");
    try {
      CRC32 checksum = new CRC32();
      try (InputStream in = url.openStream(); OutputStream out = Files.newOutputStream(temp)) {
        copy(in, out, checksum);
      }
      if (checksum.getValue() != crc) {
        throw new IOException("the extracted " + resource + " does not match its checksum");
      }
      if (!temp.toFile().setExecutable(true, true)) {
        throw new IOException("cannot make " + temp + " executable");
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    return target;
  }

  private static boolean isIntact(Path file, long size, long crc) throws IOException {
    if (!Files.isRegularFile(file) || !Files.isExecutable(file) || Files.size(file) != size) {
      return false;
    }
    CRC32 checksum = new CRC32();
    try (InputStream in = Files.newInputStream(file)) {
      copy(in, OutputStream.nullOutputStream(), checksum);
    }
    return checksum.getValue() == crc;
  }

  private static long copy(InputStream in, OutputStream out, CRC32 checksum) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; total += n) {
      checksum.update(buffer, 0, n);
      out.write(buffer, 0, n);
    }
    return total;
  }

  private static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      // Private to this user: the binary in here gets executed.
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }
}
