package io.gfs.master.oplog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names and listing of the files in the master's metadata directory: log segments {@code oplog-<firstSeq>.log} and
 * checkpoints {@code checkpoint-<lastSeq>.ckpt} (sequence numbers zero-padded so names sort like numbers).
 */
public final class MetaFiles {
  private static final Pattern SEGMENT = Pattern.compile("oplog-(\\d{20})\\.log");
  private static final Pattern CHECKPOINT = Pattern.compile("checkpoint-(\\d{20})\\.ckpt");
  static final String TMP_SUFFIX = ".tmp";

  private MetaFiles() {}

  public static Path segment(Path dir, long firstSequence) {
    return dir.resolve(String.format("oplog-%020d.log", firstSequence));
  }

  public static Path checkpoint(Path dir, long lastSequence) {
    return dir.resolve(String.format("checkpoint-%020d.ckpt", lastSequence));
  }

  /** First sequence number to segment file, ascending. */
  public static TreeMap<Long, Path> segments(Path dir) throws IOException {
    return list(dir, SEGMENT);
  }

  /** Last sequence number covered to checkpoint file, ascending. */
  public static TreeMap<Long, Path> checkpoints(Path dir) throws IOException {
    return list(dir, CHECKPOINT);
  }

  static List<Path> temporaries(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TMP_SUFFIX)) {
      files.forEach(out::add);
    }
    return out;
  }

  private static TreeMap<Long, Path> list(Path dir, Pattern pattern) throws IOException {
    TreeMap<Long, Path> out = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        Matcher m = pattern.matcher(file.getFileName().toString());
        if (m.matches()) {
          out.put(Long.parseLong(m.group(1)), file);
        }
      }
    }
    return out;
  }

  /** Makes created, renamed or deleted names in the directory durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
