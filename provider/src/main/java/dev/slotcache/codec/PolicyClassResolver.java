package dev.slotcache.codec;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Refuses, before instantiation, every class the policy does not permit, and refuses to write a class the codec's
 * readers would not find ({@link ClassVisibility}). In key mode it writes every class by its full name instead of
 * Kryo's per-graph name ids, whose numbering depends on encounter order and so would make a sorted set's encoding
 * depend on its iteration order. Not thread-safe: one per Kryo instance, like Kryo.
 */
final class PolicyClassResolver extends DefaultClassResolver {

  private static final byte NAME_MARKER = NAME + 2;
  private static final int MAX_REMEMBERED = 4096;

  private final ClassPolicy policy;
  private final ClassVisibility visibility;
  private final boolean fullNames;
  private final Map<String, Class<?>> byName = new HashMap<>();
  /** Names already checked, so that reading a value costs no pattern matching (this resolver's Kryo only). */
  private final Set<String> permitted = new HashSet<>();

  PolicyClassResolver(ClassPolicy policy, ClassVisibility visibility, boolean fullNames) {
    this.policy = policy;
    this.visibility = visibility;
    this.fullNames = fullNames;
  }

  @Override
  @SuppressWarnings("rawtypes")
  protected void writeName(Output output, Class type, Registration registration) {
    visibility.require(type);
    if (!fullNames) {
      super.writeName(output, type, registration);
      return;
    }
    output.writeByte(NAME_MARKER);
    output.writeString(type.getName());
  }

  @Override
  protected Registration readName(Input input) {
    if (!fullNames) {
      Registration registration = super.readName(input);
      check(registration.getType().getName());
      return registration;
    }
    String name = input.readString();
    Class<?> type = byName.get(name);
    if (type == null) {
      check(name);
      try {
        type = ClassVisibility.load(name, kryo.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new ClassNotVisibleException(name, "class " + name + " named in a stored key is not visible to "
            + "class loader " + kryo.getClassLoader(), e);
      }
      byName.put(name, type);
    }
    return kryo.getRegistration(type);
  }

  private void check(String name) {
    if (permitted.contains(name)) {
      return;
    }
    if (policy.permits(name)) {
      if (permitted.size() < MAX_REMEMBERED) {
        permitted.add(name);
      }
    } else {
      throw new CodecException("class " + name + " may not be decoded under " + policy
          + "; add it to slotcache.codec.allowed-classes if it is yours");
    }
  }
}
