package dev.slotcache.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every Java sample in the README and in {@code docs/} is quoted verbatim from a compiled source file. A sample is
 * announced by {@code <!-- sample: path/from/project/root/File.java#name -->} right before its code fence, and the
 * source holds it between {@code // readme:name} and {@code // end:name}. A Java fence without such a line fails.
 */
@ExtendWith(RedisClusterExtension.class)
class DocSamplesTest {

  private static final Path ROOT = Path.of("..");
  private static final Pattern FENCE = Pattern.compile(
      "(?:<!-- sample: (\\S+)#(\\S+) -->\\n)?```java\\n(.*?)\\n```", Pattern.DOTALL);

  @Test
  void quickStart_runsAgainstACluster(LocalRedisCluster cluster) {
    assertEquals("3 books", QuickStart.run(cluster.uri()));
  }

  @Test
  void docs_quoteEveryJavaSampleFromCompiledSources() throws IOException {
    List<String> problems = new ArrayList<>();
    int samples = 0;
    for (Path doc : documents()) {
      Matcher fence = FENCE.matcher(Files.readString(doc));
      while (fence.find()) {
        samples++;
        String where = ROOT.relativize(doc) + " at offset " + fence.start();
        if (fence.group(1) == null) {
          problems.add(where + ": a java sample without a <!-- sample: file#name --> line");
          continue;
        }
        Path source = ROOT.resolve(fence.group(1));
        if (!Files.isRegularFile(source)) {
          problems.add(where + ": no file " + fence.group(1));
          continue;
        }
        String expected = region(Files.readString(source), fence.group(2));
        if (expected == null) {
          problems.add(where + ": no // readme:" + fence.group(2) + " ... // end:" + fence.group(2)
              + " in " + fence.group(1));
        } else if (!expected.equals(dedent(fence.group(3)))) {
          problems.add(where + ": differs from " + fence.group(1) + "#" + fence.group(2) + "; the source says:\n"
              + expected);
        }
      }
    }
    assertTrue(samples > 0, "no java samples found; is the project root " + ROOT.toAbsolutePath() + "?");
    if (!problems.isEmpty()) {
      fail(String.join("\n\n", problems));
    }
  }

  private static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  /** The lines between {@code // readme:name} and {@code // end:name}, de-indented; null when absent. */
  static String region(String source, String name) {
    Matcher m = Pattern.compile("[ \\t]*// readme:" + Pattern.quote(name) + "\\n(.*?)\\n[ \\t]*// end:"
        + Pattern.quote(name) + "\\b", Pattern.DOTALL).matcher(source);
    if (!m.find()) {
      return null;
    }
    return dedent(m.group(1));
  }

  /** The lines with their common indentation removed, trailing blank space dropped. */
  static String dedent(String text) {
    String[] lines = text.split("\n");
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
