package dev.slotcache.internal.store;

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

  /*
   * TTL modes, as SegmentStore.mode writes them: 'k' keep the TTL (KEEPTTL: none for a new key), 'p' no TTL,
   * 'd' delete (expire at once), or milliseconds. The scripts are kept small and branch-only: on Redis 6.2
   * every Lua call costs microseconds of server time, and a closure or a number conversion more.
   */

  /**
   * Put with different TTL modes for creation (ARGV[2]) and update (ARGV[3]) of record ARGV[1]. Returns the old
   * value when ARGV[4] is '1', else 1 when the key existed and 0 when not.
   */
  static final Script PUT = new Script(""
      + "local old = redis.call('GET', KEYS[1])\n"
      + "local mode = ARGV[2]\n"
      + "if old then mode = ARGV[3] end\n"
      + "if mode == 'd' then if old then redis.call('DEL', KEYS[1]) end\n"
      + "elseif mode == 'k' then redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')\n"
      + "elseif mode == 'p' then redis.call('SET', KEYS[1], ARGV[1])\n"
      + "else redis.call('SET', KEYS[1], ARGV[1], 'PX', mode) end\n"
      + "if ARGV[4] == '1' then return old end\n"
      + "if old then return 1 end\n"
      + "return 0\n");

  /**
   * Compare-and-set on the record header. ARGV: expected header ('' = absent), new record ('' = delete), TTL
   * mode. Returns 1 when applied, 0 when the header differed.
   */
  static final Script COMPARE_AND_SET = new Script(""
      + "if redis.call('GETRANGE', KEYS[1], 0, 9) ~= ARGV[1] then return 0 end\n"
      + "local mode = ARGV[3]\n"
      + "if ARGV[2] == '' or mode == 'd' then redis.call('DEL', KEYS[1])\n"
      + "elseif mode == 'k' then redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')\n"
      + "elseif mode == 'p' then redis.call('SET', KEYS[1], ARGV[2])\n"
      + "else redis.call('SET', KEYS[1], ARGV[2], 'PX', mode) end\n"
      + "return 1\n");

  /**
   * Replace or remove while the payload (after the 10-byte header) equals ARGV[1]. ARGV: expected payload,
   * new record ('' = delete), TTL mode of the write, TTL mode on a mismatch (an access TTL). Returns {0} when
   * absent, {1} when applied, {2, current} on a mismatch.
   */
  static final Script REPLACE_IF_EQUAL = new Script(""
      + "local current = redis.call('GET', KEYS[1])\n"
      + "if not current then return {0} end\n"
      + "if string.sub(current, 11) ~= ARGV[1] then\n"
      + "  local access = ARGV[4]\n"
      + "  if access == 'd' then redis.call('DEL', KEYS[1])\n"
      + "  elseif access == 'p' then redis.call('PERSIST', KEYS[1])\n"
      + "  elseif access ~= 'k' then redis.call('PEXPIRE', KEYS[1], access) end\n"
      + "  return {2, current}\n"
      + "end\n"
      + "local mode = ARGV[3]\n"
      + "if ARGV[2] == '' or mode == 'd' then redis.call('DEL', KEYS[1])\n"
      + "elseif mode == 'k' then redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')\n"
      + "elseif mode == 'p' then redis.call('SET', KEYS[1], ARGV[2])\n"
      + "else redis.call('SET', KEYS[1], ARGV[2], 'PX', mode) end\n"
      + "return {1}\n");

  /** Deletes KEYS[1] only while it still holds exactly ARGV[1]. Returns 1 when deleted. */
  static final Script DELETE_IF_SAME = new Script(""
      + "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
      + "return 0\n");

  /** The record of KEYS[1] and its PTTL in one reply ({record, pttl}), or nil when absent: for near caches. */
  static final Script GET_TIMED = new Script(""
      + "local v = redis.call('GET', KEYS[1])\n"
      + "if not v then return false end\n"
      + "return {v, redis.call('PTTL', KEYS[1])}\n");

  /**
   * SET KEYS[1] ARGV[1] NX with TTL ARGV[2] (ms; -1: none; 0: store nothing, only say whether absent), then deletes the
   * lease KEYS[2] if owner ARGV[3] holds it. Returns 1 when KEYS[1] was absent.
   */
  static final Script PUT_IF_ABSENT_RELEASING = new Script(""
      + "local absent\n"
      + "if ARGV[2] == '0' then absent = redis.call('EXISTS', KEYS[1]) == 0\n"
      + "elseif ARGV[2] == '-1' then absent = redis.call('SET', KEYS[1], ARGV[1], 'NX') ~= false\n"
      + "else absent = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) ~= false end\n"
      + "if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end\n"
      + "return absent and 1 or 0\n");

  /**
   * Takes the lease KEYS[1] of entry KEYS[2] for owner ARGV[1] for ARGV[2] ms, or extends it when that owner holds it
   * already (so a retry after a lost reply is safe). With ARGV[3] = 1 (a load lease) it is not given while the entry
   * is stored. Returns 1 when the owner holds it, 0 when someone else does, 2 when the entry is stored already
   * (nothing left to load).
   */
  static final Script LEASE = new Script(""
      // the common case first, in two calls: a free lease taken, the entry checked
      + "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then\n"
      + "  if ARGV[3] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then redis.call('DEL', KEYS[1]) return 2 end\n"
      + "  return 1\n"
      + "end\n"
      + "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end\n"
      + "return 0\n");

  /** Extends the lease KEYS[1] by ARGV[2] ms if owner ARGV[1] still holds it (never takes it): 1 if so, else 0. */
  static final Script RENEW = new Script(""
      + "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end\n"
      + "return 0\n");
}
