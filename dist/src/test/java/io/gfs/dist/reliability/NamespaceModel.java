package io.gfs.dist.reliability;

import java.util.List;

/**
 * The sequential specification of the namespace operations the metadata scenario runs, over a flat set of names
 * under one existing directory: each name is absent, a file or a directory, so a state is 2 bits per name packed in
 * an int. The rules are gfs's (the master's): create without overwrite refuses an existing name, mkdirs refuses a
 * file and succeeds on a directory, delete (recursive) answers whether something was there, rename refuses a missing
 * source or an existing destination.
 */
final class NamespaceModel {
  static final int ABSENT = 0;
  static final int FILE = 1;
  static final int DIR = 2;

  /** What the model says an operation returns, and the state after it. */
  record Step(int state, NamespaceOp.Status status, String value) {
    boolean matches(NamespaceOp op) {
      return op.status() == NamespaceOp.Status.UNKNOWN
          || (op.status() == status && (status != NamespaceOp.Status.OK || op.value().equals(value)));
    }
  }

  private final List<String> names;

  NamespaceModel(List<String> names) {
    if (names.size() > 15) {
      throw new IllegalArgumentException("at most 15 names fit a state int: " + names);
    }
    this.names = List.copyOf(names);
  }

  Step apply(int state, NamespaceOp op) {
    int at = index(op.name());
    int kind = get(state, at);
    return switch (op.kind()) {
      case MKDIR -> kind == FILE ? refused(state) : ok(set(state, at, DIR), "true");
      case CREATE -> kind != ABSENT ? refused(state) : ok(set(state, at, FILE), "");
      case DELETE -> kind == ABSENT ? ok(state, "false") : ok(set(state, at, ABSENT), "true");
      case STATUS -> ok(state, kind == FILE ? NamespaceOp.FILE : kind == DIR ? NamespaceOp.DIR : NamespaceOp.ABSENT);
      case RENAME -> rename(state, at, index(op.target()));
    };
  }

  private Step rename(int state, int from, int to) {
    if (get(state, from) == ABSENT || get(state, to) != ABSENT || from == to) {
      return refused(state);
    }
    return ok(set(set(state, to, get(state, from)), from, ABSENT), "");
  }

  String describe(int state) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < names.size(); i++) {
      int k = get(state, i);
      if (k != ABSENT) {
        b.append(b.length() > 1 ? ", " : "").append(names.get(i)).append(k == FILE ? ":file" : ":dir");
      }
    }
    return b.append('}').toString();
  }

  private int index(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("name " + name + " is not in the model " + names);
    }
    return i;
  }

  private static int get(int state, int at) {
    return (state >>> (2 * at)) & 3;
  }

  private static int set(int state, int at, int kind) {
    return (state & ~(3 << (2 * at))) | (kind << (2 * at));
  }

  private static Step ok(int state, String value) {
    return new Step(state, NamespaceOp.Status.OK, value);
  }

  private static Step refused(int state) {
    return new Step(state, NamespaceOp.Status.REFUSED, "");
  }
}
