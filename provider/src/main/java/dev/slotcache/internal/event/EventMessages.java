package dev.slotcache.internal.event;

import dev.slotcache.codec.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import javax.cache.event.EventType;

/**
 * The wire format of entry events between JVMs: {@code [origin][type][key][value or -1][old value or -1]}, key
 * and values in the codec's encoding, each with its length. Stateless.
 */
public final class EventMessages {

  private EventMessages() {
  }

  /** One decoded message; {@code value} and {@code oldValue} may be null. */
  public record Message(String origin, EventType type, Object key, Object value, Object oldValue) {
  }

  /** The message for an event this JVM (identified by {@code origin}) caused. */
  public static byte[] encode(Codec codec, String origin, EventType type, Object key, Object value, Object oldValue) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(origin);
      out.writeByte(type.ordinal());
      writeBytes(out, codec.encodeKey(key));
      writeBytes(out, value == null ? null : codec.encodeValue(value));
      writeBytes(out, oldValue == null ? null : codec.encodeValue(oldValue));
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /**
   * The message, or null when it is this JVM's own ({@code self}) or cannot be read here (another version, class
   * drift): dropped then, as pub/sub may drop any message.
   */
  public static Message decode(Codec codec, String self, byte[] message) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
      String origin = in.readUTF();
      if (origin.equals(self)) {
        return null;
      }
      EventType type = EventType.values()[in.readByte()];
      Object key = codec.decodeKey(readBytes(in));
      byte[] value = readBytes(in);
      byte[] old = readBytes(in);
      return new Message(origin, type, key, value == null ? null : codec.decodeValue(value),
          old == null ? null : codec.decodeValue(old));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] data) throws IOException {
    if (data == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(data.length);
      out.write(data);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] data = new byte[length];
    in.readFully(data);
    return data;
  }
}
