package io.gfs.chunkserver.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The chunkserver's stable identity, generated once and kept in {@code server-id} in its first data directory, so the
 * master recognises it across restarts and address changes. Written to a temporary file and renamed, so a crash never
 * leaves a half-written id behind.
 */
public final class ServerIdFile {
  public static final String FILE_NAME = "server-id";
  private static final Pattern VALID = Pattern.compile("cs-[0-9a-f]{16}");

  private ServerIdFile() {}

  /** The id stored in {@code dir}, creating one from {@code randomBits} if there is none. */
  public static String loadOrCreate(Path dir, long randomBits) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!VALID.matcher(id).matches()) {
        throw new IOException(file + " holds '" + id + "', not a chunkserver id like cs-0123456789abcdef; "
            + "fix or remove it (removing makes this a new chunkserver to the master)");
      }
      return id;
    }
    String id = "cs-" + HexFormat.of().toHexDigits(randomBits);
    Path temp = dir.resolve(FILE_NAME + ".tmp");
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      FileChunkStore.writeFully(channel, java.nio.ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return id;
  }
}
