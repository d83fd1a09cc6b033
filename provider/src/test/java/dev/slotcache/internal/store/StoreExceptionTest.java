package dev.slotcache.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/** Which failures a retry within the retry budget may overcome, and which waiting cannot fix. */
class StoreExceptionTest {

  @Test
  void isTransient_passingClusterStatesYes_configurationMistakesNo() {
    JedisClusterOperationException wrongPassword = new JedisClusterOperationException(
        "Could not initialize cluster slots cache.");
    wrongPassword.addSuppressed(new JedisAccessControlException("WRONGPASS invalid username-password pair"));
    JedisClusterOperationException noClusterMode = new JedisClusterOperationException(
        "Could not initialize cluster slots cache.");
    noClusterMode.addSuppressed(new JedisDataException("ERR This instance has cluster support disabled"));
    JedisClusterOperationException refused = new JedisClusterOperationException(
        "Could not initialize cluster slots cache.");
    refused.addSuppressed(new JedisConnectionException("Failed to connect", new ConnectException("Connection refused")));

    Map<String, Throwable> transientCauses = new LinkedHashMap<>();
    transientCauses.put("dropped connection", new JedisConnectionException("Connection reset"));
    transientCauses.put("refused while a master restarts", refused);
    transientCauses.put("moved slot", new JedisMovedDataException("MOVED 3058 127.0.0.1:15883",
        new HostAndPort("127.0.0.1", 15883), 3058));
    transientCauses.put("cluster down", new JedisDataException("CLUSTERDOWN The cluster is down"));
    transientCauses.put("try again", new JedisDataException("TRYAGAIN Multiple keys request during rehashing"));
    transientCauses.put("replica now", new JedisDataException("READONLY You can't write against a read only replica."));
    Map<String, Throwable> permanentCauses = new LinkedHashMap<>();
    permanentCauses.put("wrong password", wrongPassword);
    permanentCauses.put("no cluster mode", noClusterMode);
    permanentCauses.put("unknown host", new JedisConnectionException(new UnknownHostException("no-such-host.invalid")));
    permanentCauses.put("no permission", new JedisDataException("NOPERM this user has no permissions"));
    permanentCauses.put("wrong type", new JedisDataException("WRONGTYPE Operation against a key holding the wrong kind"));
    permanentCauses.put("out of memory", new JedisDataException("OOM command not allowed when used memory > 'maxmemory'"));

    transientCauses.forEach((what, cause) -> assertEquals(true, new StoreException(what, cause).isTransient(), what));
    permanentCauses.forEach((what, cause) -> assertEquals(false, new StoreException(what, cause).isTransient(), what));
    assertEquals(false, new StoreException("the connection is closed").isTransient(), "a closed manager");
  }
}
