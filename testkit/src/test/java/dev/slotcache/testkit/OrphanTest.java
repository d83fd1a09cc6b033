package dev.slotcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The servers must die with the JVM that started them, even when it gets no chance to clean up. */
class OrphanTest {

  @Test
  @Timeout(120)
  void killedOwnerJvm_leavesNoRedisProcessBehind() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
    String binary = System.getProperty(RedisServerBinary.SYSTEM_PROPERTY);
    if (binary != null) {
      command.add("-D" + RedisServerBinary.SYSTEM_PROPERTY + "=" + binary);
    }
    command.add(ClusterHolderMain.class.getName());
    command.add("3");
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    Map<String, String> report;
    StringBuilder output = new StringBuilder();
    try {
      report = readReadyLine(child, output);
      assertNotNull(report, "the child JVM did not start a cluster; its output:\n" + output);
    } catch (RuntimeException | Error | IOException e) {
      child.destroyForcibly();
      throw e;
    }
    List<Long> redis = longs(report.get("pids"));
    List<Long> watchdogs = longs(report.get("watchdogs"));
    List<Long> ports = longs(report.get("ports"));
    Path dir = Path.of(report.get("dir"));
    assertEquals(3, redis.size());
    assertEquals(3, watchdogs.size());
    for (long pid : redis) {
      assertTrue(Processes.isAlive(pid), "redis-server " + pid + " runs while its JVM lives");
    }

    child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
    assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the child JVM died");

    Processes.assertAllEnd(redis, Duration.ofSeconds(5), "orphaned redis-server");
    Processes.assertAllEnd(watchdogs, Duration.ofSeconds(5), "orphaned watchdog");
    for (long port : ports) {
      assertFalse(accepts((int) port), "nothing listens on " + port + " any more");
    }

    assertTrue(Files.isDirectory(dir), "a killed JVM cannot delete its temp dir");
    LocalRedisCluster.deleteStaleDirs(dir.getParent());
    assertFalse(Files.exists(dir), "the next start deletes the dead JVM's temp dir " + dir);
  }

  private static Map<String, String> readReadyLine(Process child, StringBuilder output) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      output.append(line).append('\n');
      if (line.startsWith("READY ")) {
        Map<String, String> fields = new HashMap<>();
        for (String field : line.substring(6).split(" ")) {
          int eq = field.indexOf('=');
          fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
        return fields;
      }
    }
    return null;
  }

  private static List<Long> longs(String csv) {
    List<Long> values = new ArrayList<>();
    for (String value : csv.split(",")) {
      values.add(Long.parseLong(value));
    }
    return values;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LocalRedisCluster.HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
