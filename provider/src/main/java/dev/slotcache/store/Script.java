package dev.slotcache.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A Lua script with its SHA-1, called by {@code EVALSHA} and sent whole only after {@code NOSCRIPT}. */
final class Script {

  final byte[] source;
  final byte[] sha;

  Script(String source) {
    this.source = source.getBytes(StandardCharsets.UTF_8);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(this.source);
      this.sha = HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JDK", e);
    }
  }

  /**
   * Shared by the scripts: write ARGV[value] to KEYS[1] with TTL code ttl (see {@link Ttl}), given whether the
   * key existed. Expects locals {@code key}, and returns nothing.
   */
  static final String WRITE_WITH_TTL = ""
      + "local function write(value, ttl, existed)\n"
      + "  if ttl == 0 then\n"
      + "    if existed then redis.call('DEL', KEYS[1]) end\n"
      + "  elseif ttl == -2 then\n"
      + "    if existed then redis.call('SET', KEYS[1], value, 'KEEPTTL') else redis.call('SET', KEYS[1], value) end\n"
      + "  elseif ttl == -1 then\n"
      + "    redis.call('SET', KEYS[1], value)\n"
      + "  else\n"
      + "    redis.call('SET', KEYS[1], value, 'PX', ttl)\n"
      + "  end\n"
      + "end\n";

  /**
   * Put with different TTLs for creation and update. ARGV: record, creation TTL, update TTL, return-old flag.
   * Returns the old value when asked, else 1 when the key existed and 0 when not.
   */
  static final Script PUT = new Script(WRITE_WITH_TTL
      + "local old = redis.call('GET', KEYS[1])\n"
      + "if old then write(ARGV[1], tonumber(ARGV[3]), true) else write(ARGV[1], tonumber(ARGV[2]), false) end\n"
      + "if ARGV[4] == '1' then return old end\n"
      + "if old then return 1 else return 0 end\n");

  /**
   * Compare-and-set on the record header. ARGV: expected header ('' = absent), new record ('' = delete), TTL.
   * Returns 1 when applied, 0 when the header differed.
   */
  static final Script COMPARE_AND_SET = new Script(WRITE_WITH_TTL
      + "local current = redis.call('GETRANGE', KEYS[1], 0, 9)\n"
      + "if current ~= ARGV[1] then return 0 end\n"
      + "if ARGV[2] == '' then redis.call('DEL', KEYS[1]) return 1 end\n"
      + "write(ARGV[2], tonumber(ARGV[3]), current ~= '')\n"
      + "return 1\n");

  /**
   * Replace or remove when the payload (after the 10-byte header) equals ARGV[1]. ARGV: expected payload,
   * new record ('' = delete), TTL for the write, TTL on mismatch (an access TTL; -3 = leave the TTL alone).
   * Returns {0} when absent, {1} when applied, {2, current} on mismatch.
   */
  static final Script REPLACE_IF_EQUAL = new Script(WRITE_WITH_TTL
      + "local current = redis.call('GET', KEYS[1])\n"
      + "if not current then return {0} end\n"
      + "if string.sub(current, 11) ~= ARGV[1] then\n"
      + "  local access = tonumber(ARGV[4])\n"
      + "  if access == 0 then redis.call('DEL', KEYS[1])\n"
      + "  elseif access == -1 then redis.call('PERSIST', KEYS[1])\n"
      + "  elseif access > 0 then redis.call('PEXPIRE', KEYS[1], access) end\n"
      + "  return {2, current}\n"
      + "end\n"
      + "if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else write(ARGV[2], tonumber(ARGV[3]), true) end\n"
      + "return {1}\n");

  /** Deletes KEYS[1] only while it still holds exactly ARGV[1]. Returns 1 when deleted. */
  static final Script DELETE_IF_SAME = new Script(""
      + "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
      + "return 0\n");
}
