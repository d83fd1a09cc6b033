package dev.slotcache;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Records what the provider logs (logger {@code dev.slotcache} and below, every level) through a real SLF4J 2
 * binding, Logback, while open. Thread-safe; close it to detach.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.slotcache");
  private final Level previous = logger.getLevel();
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      events.add(event);
    }
  };

  public LogCapture() {
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.DEBUG);
  }

  /** Every event so far, in order. */
  public List<ILoggingEvent> events() {
    return List.copyOf(events);
  }

  /** The formatted messages (with any exception's text) of events at {@code level}. */
  public List<String> messages(Level level) {
    return events.stream().filter(e -> e.getLevel() == level).map(LogCapture::text).toList();
  }

  /** Whether some event at {@code level} has a message (or exception text) matching {@code test}. */
  public boolean has(Level level, Predicate<String> test) {
    return messages(level).stream().anyMatch(test);
  }

  /** Every message at every level, with exception texts, for assertion failures and password checks. */
  public String all() {
    StringBuilder text = new StringBuilder();
    for (ILoggingEvent event : events) {
      text.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(": ").append(text(event))
          .append('\n');
    }
    return text.toString();
  }

  private static String text(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    var thrown = event.getThrowableProxy();
    while (thrown != null) {
      message += " | " + thrown.getClassName() + ": " + thrown.getMessage();
      thrown = thrown.getCause();
    }
    return message;
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previous);
    appender.stop();
  }
}
