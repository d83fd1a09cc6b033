package dev.slotcache.internal;

/**
 * A {@code scheme://authority[/path][?options]} URI text — a {@code redis://} or {@code rediss://} cluster URI —
 * split the one way Slotcache reads it: the options follow the first {@code ?}, the path starts at the first
 * {@code /} before them, and the user info ends at the last {@code @} of the authority (a password may hold an
 * {@code @}). Nothing is decoded or checked: the CacheManager validates seeds and options, the URL handler keeps the
 * text verbatim, and {@link Redaction} masks what it must.
 *
 * @param scheme   the text before {@code ://}, as written
 * @param userInfo the text before the authority's last {@code @}, or null when there is none
 * @param hosts    the rest of the authority: the seed list as written
 * @param path     from the first {@code /} after the authority, that slash included; empty when there is none
 * @param query    the text after the first {@code ?}, or null when there is none
 */
public record ClusterUriParts(String scheme, String userInfo, String hosts, String path, String query) {

  /** The parts of {@code text}, or null when it has no {@code ://}. */
  public static ClusterUriParts split(String text) {
    int schemeEnd = text.indexOf("://");
    if (schemeEnd < 0) {
      return null;
    }
    String rest = text.substring(schemeEnd + 3);
    String query = null;
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? null : authority.substring(0, at);
    return new ClusterUriParts(text.substring(0, schemeEnd), userInfo, authority.substring(at + 1), path, query);
  }

  /** The authority as written: the user info and its {@code @}, if any, then the hosts. */
  public String authority() {
    return userInfo == null ? hosts : userInfo + "@" + hosts;
  }

  /** The URI text again, with {@code userInfo} in place of the user info (null: none). */
  public String withUserInfo(String newUserInfo) {
    return scheme + "://" + (newUserInfo == null ? "" : newUserInfo + "@") + hosts + path
        + (query == null ? "" : "?" + query);
  }
}
