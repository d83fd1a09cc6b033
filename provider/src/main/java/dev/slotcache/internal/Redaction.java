package dev.slotcache.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * URIs as Slotcache shows them: in messages and logs a password is {@code ****} (in the user info and in any
 * {@code password} option); in MBean names credentials are left out entirely. Split by {@link ClusterUriParts},
 * as the manager splits a {@code redis://} URI; the options of a text without {@code ://} follow its first
 * {@code ?}. Any other text is returned unchanged.
 */
public final class Redaction {

  private static final String MASK = "****";

  private Redaction() {
  }

  /** The URI for a message or a log line: user names kept (they help), passwords masked. */
  public static String forMessages(String uri) {
    return rewrite(uri, false);
  }

  /** The URI for a name that outlives the message (an MBean name): no user info, no user or password options. */
  public static String withoutCredentials(String uri) {
    return rewrite(uri, true);
  }

  private static String rewrite(String text, boolean drop) {
    ClusterUriParts parts = ClusterUriParts.split(text);
    if (parts != null && parts.userInfo() != null) {
      String userInfo = parts.userInfo();
      int colon = userInfo.indexOf(':');
      text = parts.withUserInfo(drop ? null : colon < 0 ? userInfo : userInfo.substring(0, colon) + ":" + MASK);
    }
    int query = text.indexOf('?');
    if (query < 0) {
      return text;
    }
    StringJoiner kept = new StringJoiner("&");
    boolean changed = false;
    for (String option : text.substring(query + 1).split("&", -1)) {
      String name = optionName(option);
      boolean secret = name.endsWith("password");
      if (drop && (secret || name.equals("user"))) {
        changed = true;
      } else if (secret) {
        int eq = option.indexOf('=');
        kept.add((eq < 0 ? option : option.substring(0, eq)) + "=" + MASK);
        changed = true;
      } else {
        kept.add(option);
      }
    }
    if (!changed) {
      return text;
    }
    return text.substring(0, query) + (kept.length() == 0 ? "" : "?" + kept);
  }

  private static String optionName(String option) {
    int eq = option.indexOf('=');
    String name = eq < 0 ? option : option.substring(0, eq);
    try {
      name = URLDecoder.decode(name, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // not %-encoded properly: judge the raw text
    }
    name = name.strip().toLowerCase(Locale.ROOT);
    return name.startsWith("slotcache.") ? name.substring("slotcache.".length()) : name;
  }
}
