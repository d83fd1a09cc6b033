package dev.slotcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterNodeTest {

  @Test
  void parse_redis62Master_withRangesAndSingleSlots() {
    ClusterNode node = ClusterNode.parse("07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@40004 "
        + "myself,master - 0 1426238317239 4 connected 0-100 200 5000-5460 [5461->-e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca]");
    assertEquals("07c37dfeb235213a872192d90877d0cd55635b91", node.id());
    assertEquals("127.0.0.1", node.host());
    assertEquals(30004, node.port());
    assertTrue(node.isMaster() && node.isMyself() && node.connected());
    assertEquals(101 + 1 + 461, node.slots());
    assertEquals(0, node.firstSlot());
    assertFalse(node.isUnhealthy());
  }

  @Test
  void parse_redis7Replica_withHostname() {
    ClusterNode node = ClusterNode.parse("e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30002@40002,node-2 "
        + "slave 67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 0 1426238316232 2 connected");
    assertEquals(30002, node.port());
    assertFalse(node.isMaster());
    assertEquals("67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1", node.masterId());
    assertEquals(0, node.slots());
  }

  @Test
  void parse_failingAndHandshakingNodes_areUnhealthy() {
    List<ClusterNode> nodes = ClusterNode.parseAll(
        "a 127.0.0.1:1@10001 master,fail? - 0 0 1 disconnected\n"
            + "b :0@0 handshake,noaddr - 0 0 0 disconnected\n");
    assertTrue(nodes.get(0).isUnhealthy());
    assertFalse(nodes.get(0).connected());
    assertTrue(nodes.get(1).isUnhealthy());
    assertEquals("", nodes.get(1).host());
  }

  @Test
  void parseSeeds_acceptsTheProvidersUriForms() {
    assertEquals(2, LocalRedisCluster.parseSeeds("redis://127.0.0.1:1,127.0.0.1:2/ns?x=y").size());
    assertEquals("localhost", LocalRedisCluster.parseSeeds("REDIS://localhost:7000").get(0).getHost());
  }
}
