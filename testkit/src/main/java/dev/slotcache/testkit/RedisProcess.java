package dev.slotcache.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redis-server} running under a POSIX {@code sh} watchdog.
 *
 * <p>The watchdog starts the server in the background, reports its pid on stdout, then blocks in {@code cat}
 * on a pipe whose only writer is this JVM. When the pipe closes — {@link #stop} closes it, and the kernel
 * closes it when the JVM dies for any reason, {@code kill -9} included — {@code cat} returns and the watchdog
 * sends the server SIGTERM. The JVM starts children with every descriptor but 0-2 closed, so no other
 * process holds the write end open.
 */
final class RedisProcess {

  // $1 = redis-server, $2 = its config file, $3 = file for its stdout/stderr.
  // HUP is ignored so that a closing terminal cannot take the watchdog away while the JVM lives on.
  private static final String WATCHDOG = String.join("\n",
      "trap '' HUP",
      "\"$1\" \"$2\" </dev/null >>\"$3\" 2>&1 &",
      "pid=$!",
      "echo \"$pid\"",
      "exec >/dev/null",
      "cat >/dev/null",
      "kill \"$pid\" 2>/dev/null",
      "wait \"$pid\"");

  final int port;
  final Path log;
  final Path out;
  private final Process watchdog;
  private final long pid;

  private RedisProcess(int port, Path log, Path out, Process watchdog, long pid) {
    this.port = port;
    this.log = log;
    this.out = out;
    this.watchdog = watchdog;
    this.pid = pid;
  }

  /** Starts {@code binary conf}; returns once the server process exists (not yet accepting connections). */
  static RedisProcess launch(Path binary, Path conf, int port, Path log, Path out) {
    Process watchdog;
    try {
      Files.deleteIfExists(out);
      Files.createFile(out);
      watchdog = new ProcessBuilder("sh", "-c", WATCHDOG, "slotcache-redis-watchdog",
          binary.toString(), conf.toString(), out.toString())
          .redirectError(Redirect.appendTo(out.toFile()))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a POSIX sh to run " + binary + " (" + e.getMessage()
          + "); the test kit needs sh, so it runs on Linux and macOS", e);
    }
    String line;
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(watchdog.getInputStream(), StandardCharsets.US_ASCII))) {
      line = reader.readLine();
    } catch (IOException e) {
      line = null;
    }
    long pid;
    try {
      pid = Long.parseLong(line == null ? "" : line.trim());
    } catch (NumberFormatException e) {
      watchdog.destroyForcibly();
      throw new IllegalStateException("the watchdog shell for port " + port + " did not report a pid (got "
          + line + ")", e);
    }
    return new RedisProcess(port, log, out, watchdog, pid);
  }

  long pid() {
    return pid;
  }

  long watchdogPid() {
    return watchdog.pid();
  }

  boolean isAlive() {
    return handle().map(ProcessHandle::isAlive).orElse(false);
  }

  /** Whether {@code processId} (from INFO server) is this server, or a process it exec'd through a wrapper. */
  boolean owns(long processId) {
    return processId == pid
        || handle().map(h -> h.descendants().anyMatch(d -> d.pid() == processId)).orElse(false);
  }

  /** Asks the server to stop (via the watchdog) without waiting. */
  void requestStop() {
    try {
      watchdog.getOutputStream().close();
    } catch (IOException e) {
      // The pipe is already broken: the watchdog is gone, so signal the server directly below.
    }
    if (!watchdog.isAlive()) {
      handle().ifPresent(ProcessHandle::destroy);
    }
  }

  /** Waits until {@code deadlineNanos} for the server and watchdog to end, then kills whatever is left. */
  void awaitStop(long deadlineNanos) {
    List<ProcessHandle> family = new ArrayList<>();
    handle().ifPresent(h -> {
      family.add(h);
      h.descendants().forEach(family::add);
    });
    family.add(watchdog.toHandle());
    watchdog.descendants().forEach(family::add);
    for (ProcessHandle process : family) {
      waitFor(process, deadlineNanos);
    }
    for (ProcessHandle process : family) {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
    long grace = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (ProcessHandle process : family) {
      waitFor(process, grace);
    }
  }

  private Optional<ProcessHandle> handle() {
    return ProcessHandle.of(pid);
  }

  /** Polls, because {@code onExit()} of a process that is not our child polls only every 300 ms or more. */
  private static void waitFor(ProcessHandle process, long deadlineNanos) {
    while (process.isAlive() && System.nanoTime() < deadlineNanos) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
