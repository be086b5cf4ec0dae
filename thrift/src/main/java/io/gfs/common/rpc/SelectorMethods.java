package io.gfs.common.rpc;

import io.gfs.common.Check;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Which calls a server runs on the selector thread that read them instead of handing them to a worker
 * ({@link SelectorCalls}): calls of {@code names}, while {@code allowedNow} says so. A selector thread serves many
 * connections, so a call run there must answer from memory; {@code allowedNow} is asked for every such call and
 * sends it to a worker as before while it might wait (a master: while a namespace write lock is held or awaited,
 * which a mutation keeps until its log record is on disk).
 *
 * @param names method names as the service declares them (a request id after '#' on the wire is ignored)
 * @param allowedNow whether a call of those may run on the selector thread at this moment; must be quick
 * @param workerIfTrue for some of {@code names}, the field id of a bool argument that sends the call to a worker when
 *     the call sets it true (a master's listing page with locations waits for the chunk coordinator's monitor)
 */
public record SelectorMethods(Set<String> names, BooleanSupplier allowedNow, Map<String, Short> workerIfTrue) {
  /** Every call goes to a worker. */
  public static final SelectorMethods NONE = new SelectorMethods(Set.of(), () -> false);

  public SelectorMethods {
    names = Set.copyOf(names);
    workerIfTrue = Map.copyOf(workerIfTrue);
    Check.notNull(allowedNow, "allowedNow");
    for (String name : names) {
      Check.argument(!name.isEmpty() && name.indexOf('#') < 0, "bad method name '%s'", name);
    }
    for (Map.Entry<String, Short> e : workerIfTrue.entrySet()) {
      Check.argument(names.contains(e.getKey()) && e.getValue() > 0, "bad argument %s of '%s'", e.getValue(),
          e.getKey());
    }
  }

  /** Calls of {@code names} run on the selector thread whatever their arguments. */
  public SelectorMethods(Set<String> names, BooleanSupplier allowedNow) {
    this(names, allowedNow, Map.of());
  }
}
