package io.gfs.common;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one definition of a valid gfs path, shared by the master (which enforces it) and the client (which fails fast).
 * A path is absolute, '/'-separated, without empty, "." or ".." components, NUL bytes, components over 255 UTF-8 bytes
 * or a total over 4096 bytes. A trailing '/' is tolerated and dropped.
 */
public final class GfsPaths {
  public static final int COMPONENT_BYTES_MAX = 255;
  public static final int PATH_BYTES_MAX = 4096;

  private GfsPaths() {}

  /** Thrown for a malformed path; the master turns it into INVALID_PATH. */
  public static final class InvalidPathException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidPathException(String path, String reason) {
      super("invalid path " + quote(path) + ": " + reason);
    }
  }

  /**
   * The last two paths this thread parsed, each followed by its components. A master call parses its path for the lock
   * plan, the permission check and the operation itself, each time the same String (a rename two of them, in turn):
   * parsing was about a tenth of the master workers' samples in a JFR of the metadata benchmark (issue 6). Keys are
   * compared by identity, so a hit reads no text; a miss parses as before. The lists are immutable.
   */
  private static final ThreadLocal<Object[]> RECENT = ThreadLocal.withInitial(() -> new Object[4]);

  /** The components of a valid path; the root is the empty list. The same String gives the same (immutable) list. */
  @SuppressWarnings("unchecked")
  public static List<String> components(String path) {
    Object[] recent = RECENT.get();
    if (path == recent[0] && path != null) {
      return (List<String>) recent[1];
    }
    if (path == recent[2] && path != null) {
      return (List<String>) recent[3];
    }
    List<String> parsed = parse(path);
    recent[2] = recent[0];
    recent[3] = recent[1];
    recent[0] = path;
    recent[1] = parsed;
    return parsed;
  }

  private static List<String> parse(String path) {
    if (path == null || path.isEmpty()) {
      throw new InvalidPathException(String.valueOf(path), "empty");
    }
    if (path.charAt(0) != '/') {
      throw new InvalidPathException(path, "not absolute");
    }
    if (path.indexOf('\0') >= 0) {
      throw new InvalidPathException(path, "contains a NUL character");
    }
    // ASCII text (nearly every path) is as many UTF-8 bytes as chars: no encoding per path and component (issue 6).
    boolean ascii = isAscii(path);
    if ((ascii ? path.length() : path.getBytes(StandardCharsets.UTF_8).length) > PATH_BYTES_MAX) {
      throw new InvalidPathException(path, "longer than " + PATH_BYTES_MAX + " bytes");
    }
    List<String> parts = new ArrayList<>();
    int start = 1;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      String part = path.substring(start, end);
      if (part.isEmpty()) {
        if (end != path.length()) {
          throw new InvalidPathException(path, "empty component");
        }
      } else {
        if (part.equals(".") || part.equals("..")) {
          throw new InvalidPathException(path, "'" + part + "' component");
        }
        if ((ascii ? part.length() : part.getBytes(StandardCharsets.UTF_8).length) > COMPONENT_BYTES_MAX) {
          throw new InvalidPathException(path, "a component is longer than " + COMPONENT_BYTES_MAX + " bytes");
        }
        parts.add(part);
      }
      start = end + 1;
    }
    return List.copyOf(parts);
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** The canonical form: "/" or "/a/b". */
  public static String normalize(String path) {
    return isCanonical(path) ? path : join(components(path));
  }

  /**
   * Whether the path is already "/" or "/a/b" and meets every rule of {@link #components}, decided in one scan
   * without allocating: clients send canonical ASCII paths nearly always, and parsing each into a list only to join
   * it again was a visible share of a metadata call (issue 6). Anything else (non-ASCII text, whose UTF-8 length
   * differs, or a path that needs fixing or refusing) takes the full check.
   */
  static boolean isCanonical(String path) {
    if (path == null || path.isEmpty() || path.length() > PATH_BYTES_MAX || path.charAt(0) != '/') {
      return false;
    }
    int start = 1;
    for (int i = 1; i <= path.length() && path.length() > 1; i++) {
      char ch = i < path.length() ? path.charAt(i) : '/';
      if (ch == 0 || ch >= 0x80) {
        return false;
      }
      if (ch == '/') {
        int length = i - start;
        boolean dots = length <= 2 && length >= 1 && path.charAt(start) == '.'
            && (length == 1 || path.charAt(start + 1) == '.');
        if (length == 0 || length > COMPONENT_BYTES_MAX || dots) {
          return false;
        }
        start = i + 1;
      }
    }
    return true;
  }

  public static String join(List<String> components) {
    if (components.isEmpty()) {
      return "/";
    }
    StringBuilder b = new StringBuilder();
    for (String c : components) {
      b.append('/').append(c);
    }
    return b.toString();
  }

  /** Whether a normalized path lies strictly below a normalized ancestor. */
  public static boolean isInside(String path, String ancestor) {
    return ancestor.equals("/") ? !path.equals("/") : path.startsWith(ancestor + "/");
  }

  /** A normalized path's parent; the root's is the root. */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** A normalized path's last component (empty for the root). */
  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The path of {@code name} in a normalized directory path. */
  public static String child(String directory, String name) {
    return directory.equals("/") ? "/" + name : directory + "/" + name;
  }

  private static String quote(String path) {
    String shown = path.length() > 200 ? path.substring(0, 200) + "..." : path;
    return "'" + shown.replace("\0", "\\0") + "'";
  }
}
