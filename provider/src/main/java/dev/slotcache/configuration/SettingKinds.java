package dev.slotcache.configuration;

import dev.slotcache.codec.ClassPolicy;
import dev.slotcache.configuration.SlotcacheSettings.Kind;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * The kinds of value Slotcache settings take ({@link Kind}): their descriptions, as messages and the README show
 * them, and their parsers. Stateless.
 */
final class SettingKinds {

  private SettingKinds() {
  }

  static Kind<Integer> wholeNumber(int min, int max) {
    return new Kind<>("a whole number from " + min + " to " + max, "", false, text -> {
      int value = Integer.parseInt(text);
      return value >= min && value <= max ? value : null;
    });
  }

  /** A number between 0 and 1, both excluded (such as 0.8). */
  static Kind<Double> fraction() {
    return new Kind<>("a number between 0 and 1 (excluded)", " such as 0.8", false, text -> {
      double value = Double.parseDouble(text);
      return value > 0 && value < 1 ? value : null;
    });
  }

  static Kind<Boolean> trueOrFalse() {
    return new Kind<>("true or false", "", false, text -> {
      String v = text.toLowerCase(Locale.ROOT);
      return v.equals("true") ? Boolean.TRUE : v.equals("false") ? Boolean.FALSE : null;
    });
  }

  static Kind<Duration> duration(boolean zeroAllowed) {
    return new Kind<>(zeroAllowed ? "a duration" : "a positive duration",
        " such as PT2S, 2000 (ms), 500ms, 2s, 5m, 1h or 1d", false, text -> {
          Duration d = parseDurationText(text.toLowerCase(Locale.ROOT));
          long millis = d.toMillis(); // ArithmeticException when too long for a TTL
          // TTLs and timeouts are whole milliseconds: a positive duration is at least one.
          return d.isNegative() || (millis == 0 && !zeroAllowed) ? null : d;
        });
  }

  private static Duration parseDurationText(String v) {
    if (v.startsWith("p") || v.startsWith("-p")) {
      return Duration.parse(v.toUpperCase(Locale.ROOT));
    }
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
    }
    String amount = v.substring(0, Math.max(0, v.length() - 1)).trim();
    switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
      case 's':
        return Duration.ofSeconds(Long.parseLong(amount));
      case 'm':
        return Duration.ofMinutes(Long.parseLong(amount));
      case 'h':
        return Duration.ofHours(Long.parseLong(amount));
      case 'd':
        return Duration.ofDays(Long.parseLong(amount));
      default:
        return Duration.ofMillis(Long.parseLong(v));
    }
  }

  static Kind<Long> byteSize() {
    return new Kind<>("a positive size", " such as 1048576, 512k, 16m or 1g", false, text -> {
      String v = text.toLowerCase(Locale.ROOT);
      long unit = 1;
      if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
        unit = v.endsWith("k") ? 1024 : v.endsWith("m") ? 1024 * 1024 : 1024L * 1024 * 1024;
        v = v.substring(0, v.length() - 1).trim();
      }
      long size = Math.multiplyExact(Long.parseLong(v), unit);
      return size > 0 ? size : null;
    });
  }

  static Kind<String> text() {
    return new Kind<>("any text", "", false, Function.identity());
  }

  static Kind<String> secretText() {
    return new Kind<>("any text", "", true, Function.identity());
  }

  /** Redis refuses client names with spaces, control or non-ASCII characters (CLIENT SETNAME). */
  static Kind<String> clientName() {
    return new Kind<>("a name of printable ASCII characters without spaces", "", false,
        text -> !text.isEmpty() && text.chars().allMatch(c -> c > ' ' && c <= '~') ? text : null);
  }

  static Kind<String> classPatterns() {
    return new Kind<>("comma-separated class patterns", " such as com.acme.Order, com.acme.* or com.acme.**",
        false, text -> {
      ClassPolicy.parse(text);
      return text;
    });
  }

  /** Secret: a cluster URI may carry a password. */
  static Kind<String> clusterUri() {
    return new Kind<>("a redis:// or rediss:// URI", "", true, text -> {
      String v = text.toLowerCase(Locale.ROOT);
      return v.startsWith("redis://") || v.startsWith("rediss://") ? text : null;
    });
  }
}
