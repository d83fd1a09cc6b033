package dev.slotcache;

import java.util.List;
import java.util.function.Supplier;

/**
 * How the writes of one key take turns, chosen once per cache by {@link CacheFactory}.
 *
 * <ul>
 *   <li>{@link #none}: not at all (a write without a writer is one command or script, atomic by itself);
 *   <li>{@link #local}: threads of this JVM queue per key ({@link KeyQueues}); across JVMs the work stays atomic by
 *       its own compare-and-set (an {@code invoke} without a writer);
 *   <li>{@link #exclusive}: the local queue, then the key's write section in Redis ({@link SingleFlight#exclusive}):
 *       with a writer, so that it is called exactly once for each change the cache applies, in the order they are
 *       applied, and never for one it does not apply.
 * </ul>
 */
abstract class WriteSections {

  /** Runs {@code work} in the turn of encoded key {@code k}. */
  abstract <T> T run(byte[] k, Supplier<T> work);

  /** Runs {@code work} in the turns of all of {@code ks} (encoded keys, asked for only if needed) at once. */
  abstract <T> T runAll(Supplier<List<byte[]>> ks, Supplier<T> work);

  private static final WriteSections NONE = new WriteSections() {
    @Override
    <T> T run(byte[] k, Supplier<T> work) {
      return work.get();
    }

    @Override
    <T> T runAll(Supplier<List<byte[]>> ks, Supplier<T> work) {
      return work.get();
    }
  };

  static WriteSections none() {
    return NONE;
  }

  static WriteSections local(KeyQueues queues) {
    return new WriteSections() {
      @Override
      <T> T run(byte[] k, Supplier<T> work) {
        return queues.inTurn(k, work);
      }

      @Override
      <T> T runAll(Supplier<List<byte[]>> ks, Supplier<T> work) {
        return work.get();
      }
    };
  }

  static WriteSections exclusive(KeyQueues queues, SingleFlight<?> flights) {
    return new WriteSections() {
      @Override
      <T> T run(byte[] k, Supplier<T> work) {
        return queues.inTurn(k, () -> flights.exclusive(k, work));
      }

      @Override
      <T> T runAll(Supplier<List<byte[]>> ks, Supplier<T> work) {
        return flights.exclusiveAll(ks.get(), work);
      }
    };
  }
}
