package dev.slotcache.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's code samples are these compiled classes: they run, and the README quotes them verbatim. */
@ExtendWith(RedisClusterExtension.class)
class ReadmeSamplesTest {

  private static final Path SOURCES = Path.of("src/main/java/dev/slotcache/examples");
  private static final Path README = Path.of("../README.md");

  @Test
  void quickStart_runsAgainstACluster(LocalRedisCluster cluster) {
    assertEquals("3 books", QuickStart.run(cluster.uri()));
  }

  @Test
  void readme_quotesEverySampleVerbatim() throws IOException {
    String readme = Files.readString(README);
    for (Path source : List.of(SOURCES.resolve("QuickStart.java"))) {
      String sample = sample(Files.readString(source));
      assertTrue(readme.contains(sample), "README.md does not quote the sample of " + source + ":\n" + sample);
    }
  }

  /** The lines between {@code // README:<name>} and {@code // README:end}, de-indented. */
  static String sample(String source) {
    Matcher m = Pattern.compile("// README:\\w+\\n(.*?)\\n\\s*// README:end", Pattern.DOTALL).matcher(source);
    assertTrue(m.find(), "no README sample markers");
    String[] lines = m.group(1).split("\n");
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return out.toString().stripTrailing();
  }
}
