package io.gfs.master.oplog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.master.state.LogRecord;
import io.gfs.master.state.MasterState;
import io.gfs.master.state.PermissionStatus;
import io.gfs.master.state.StateImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: the checkpoint writer reads a captured state's names as the bytes its nodes hold instead of decoding each
 * into a String. The files it writes must be byte for byte what the writer before that change wrote (kept below as
 * {@link #referenceBody}), for names of every width, surrogate pairs, lone surrogates and long names, and must load
 * back into the same state.
 */
class CheckpointBytesTest {
  private static final PermissionStatus OWNED = new PermissionStatus("ü-owner", "gröup", (short) 0751);
  /** A name at the longest a one-byte length prefix in a file's array holds (63 bytes), and one past it. */
  private static final String NAME_63 = "n".repeat(63);
  private static final String NAME_64 = "n".repeat(64);
  /**
   * Names that are their own UTF-8 in the nodes: ASCII, 2-byte, 3-byte, U+0800 and U+FFFF, long ones up to the 255
   * bytes a path component may have.
   */
  private static final List<String> PLAIN_NAMES = List.of("plain", "é", "ça-va", "中文名", "\u0800\uffff", "\ud7ff",
      "\ue000", NAME_63, NAME_64, "ß".repeat(127), "中".repeat(85), "x".repeat(255), "~!@#$%^&*()_+ ");
  /** Names the nodes encode differently from UTF-8: a surrogate pair (an emoji), and one between plain chars. */
  private static final List<String> PAIR_NAMES = List.of("\ud83d\ude00", "a\ud834\udd1eb");
  /** Lone surrogates: checkpoints (and the op log) have always written them as '?'. */
  private static final List<String> LONE_NAMES = List.of("lone\ud800", "\udc00low", "x\udbff\ud800");

  @TempDir
  Path dir;

  private static MasterState fresh() {
    return new MasterState(new MasterState.Settings(1 << 20, 60_000, 10_000, 3), new SplittableRandom(1));
  }

  /** A state with every name twice (in the root and nested), chunks, stored access times, permissions and a policy. */
  private static MasterState stateWith(List<String> names) {
    MasterState state = fresh();
    long handle = 1;
    int i = 0;
    state.apply(new LogRecord.Mkdir("/nested/deeper", 3, OWNED));
    state.apply(new LogRecord.SetPolicy("/nested", 2, 0));
    for (String name : names) {
      i++;
      for (String parent : List.of("", "/nested/deeper")) {
        String path = parent + "/" + name;
        state.apply(new LogRecord.Create(path, 1 + i % 3, 10 + i, false, false,
            i % 2 == 0 ? OWNED : new PermissionStatus("u" + i % 3, "g", (short) 0640)));
        for (int c = 0; c < i % 4; c++) {
          state.apply(new LogRecord.AddChunk(path, c, handle++, 1, 20 + i));
        }
        if (i % 3 == 0) {
          state.apply(new LogRecord.SetTimes(path, LogRecord.SetTimes.UNCHANGED, 99 + i));
        }
      }
      state.apply(new LogRecord.Mkdir("/nested/" + name, 30 + i, null)); // a directory of that name too
      state.apply(new LogRecord.Create("/nested/" + name + "/inside", 1, 40 + i, false, false, null));
    }
    // Logged floors of some chunks' lengths (format 5), a whole chunk among them.
    state.apply(new LogRecord.ChunkLengths(new long[] {1, 2, handle + 5}, new int[] {1 << 20, 77, 9}));
    state.checkInvariants();
    return state;
  }

  private static byte[] body(StateImage image) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      CompactImageFormat.write(out, image);
    }
    return bytes.toByteArray();
  }

  /** The same image with files and chunks as plain records: the writer's path for images not captured from a state. */
  private static StateImage asRecords(StateImage image) {
    return new StateImage(image.nextHandle(), image.directories(), new ArrayList<>(image.files()),
        new ArrayList<>(image.chunks()), image.policies());
  }

  private void assertWritesWhatTheFormerWriterWrote(List<String> names) throws IOException {
    StateImage captured = stateWith(names).image();
    byte[] written = body(captured);
    assertArrayEquals(referenceBody(captured), written, "the captured image's bytes");
    assertArrayEquals(written, body(asRecords(captured)), "the same image given as records");
  }

  @Test
  void namesOfEveryWidthAreWrittenAsTheFormerWriterWroteThem() throws IOException {
    assertWritesWhatTheFormerWriterWrote(PLAIN_NAMES);
  }

  @Test
  void surrogatePairsAreWrittenAsUtf8AsBefore() throws IOException {
    assertWritesWhatTheFormerWriterWrote(PAIR_NAMES);
  }

  @Test
  void loneSurrogatesAreWrittenAsQuestionMarksAsBefore() throws IOException {
    assertWritesWhatTheFormerWriterWrote(LONE_NAMES);
  }

  @Test
  void aCheckpointOfOddNamesLoadsBackIntoTheSameState() throws IOException {
    List<String> names = new ArrayList<>(PLAIN_NAMES);
    names.addAll(PAIR_NAMES);
    MasterState live = stateWith(names);
    Path file = CheckpointFile.write(dir, 7, live.image());
    assertEquals(live.image(), CheckpointFile.read(file).image());
    MasterState restored = fresh();
    CheckpointFile.load(CheckpointFile.verify(file), restored.restorer());
    restored.checkInvariants();
    assertEquals(live.image(), restored.image());
    assertArrayEquals(body(live.image()), body(restored.image()), "written again after the restore: the same bytes");
  }

  @Test
  void aLoneSurrogateLoadsBackAsTheQuestionMarkItWasWrittenAs() throws IOException {
    MasterState live = stateWith(List.of("lone\ud800"));
    Path file = CheckpointFile.write(dir, 7, live.image());
    StateImage loaded = CheckpointFile.read(file).image();
    assertNotEquals(live.image(), loaded);
    assertEquals(stateWith(List.of("lone?")).image(), loaded);
  }

  @Test
  void aLargeCapturedStateWritesTheSameFileAsTheFormerWriter() throws IOException {
    SplittableRandom random = new SplittableRandom(6);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      StringBuilder name = new StringBuilder("f" + i + "-");
      for (int c = random.nextInt(1, 80); c > 0; c--) {
        int kind = random.nextInt(4);
        name.append(kind == 0 ? (char) random.nextInt('a', 'z' + 1) : kind == 1 ? (char) random.nextInt(0x80, 0x800)
            : kind == 2 ? (char) random.nextInt(0x800, 0xD800) : (char) random.nextInt(0xE000, 0x10000));
      }
      names.add(name.toString().replace('/', '_'));
    }
    MasterState live = stateWith(names);
    Path file = CheckpointFile.write(dir, 11, live.image());
    byte[] onDisk = Files.readAllBytes(file);
    byte[] reference = referenceBody(live.image());
    int header = 8 + Long.BYTES;
    assertArrayEquals(reference, Arrays.copyOfRange(onDisk, header, onDisk.length - 4), "the body on disk");
    assertEquals(live.image(), CheckpointFile.read(file).image());
  }

  @Test
  void aFormatFourCheckpointStillLoadsWithNoChunkLengths() throws IOException {
    MasterState live = stateWith(PLAIN_NAMES);
    StateImage image = live.image();
    assertEquals(2, image.chunks().stream().filter(c -> c.lengthBytes() > 0).count(), image.chunks().toString());
    Path file = MetaFiles.checkpoint(dir, 9);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write("GFSCKPT4".getBytes(StandardCharsets.US_ASCII));
    bytes.write(java.nio.ByteBuffer.allocate(Long.BYTES).putLong(9).array());
    bytes.write(referenceBody(image, false));
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes.toByteArray());
    bytes.write(java.nio.ByteBuffer.allocate(Integer.BYTES).putInt((int) crc.getValue()).array());
    Files.write(file, bytes.toByteArray());

    CheckpointFile.Verified verified = CheckpointFile.verify(file);
    assertEquals(4, verified.format());
    List<StateImage.Chunk> unknownLengths = new ArrayList<>();
    image.chunks().forEach(c -> unknownLengths.add(new StateImage.Chunk(c.handle(), c.version())));
    StateImage expected = new StateImage(image.nextHandle(), image.directories(), image.files(), unknownLengths,
        image.policies());
    assertEquals(expected, CheckpointFile.read(file).image());
    MasterState restored = fresh();
    CheckpointFile.load(verified, restored.restorer());
    restored.checkInvariants();
    assertEquals(expected, restored.image());
    assertEquals(5, CheckpointFile.verify(CheckpointFile.write(dir, 10, restored.image())).format(), "written anew");
  }

  @Test
  void writingACapturedImageAllocatesNothingPerFile() throws IOException {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported()
        && threads.isThreadAllocatedMemoryEnabled());
    int files = 20_000;
    MasterState state = fresh();
    for (int d = 0; d < 20; d++) {
      for (int f = 0; f < files / 20; f++) {
        String path = "/dir" + d + "/file-é-" + f;
        state.apply(new LogRecord.Create(path, 3, 5, false, true, OWNED));
        state.apply(new LogRecord.AddChunk(path, 0, 1 + d * files + f, 1, 6));
      }
    }
    StateImage image = state.image();
    DataOutputStream sink = new DataOutputStream(java.io.OutputStream.nullOutputStream());
    CompactImageFormat.write(sink, image); // classes loaded, lambdas linked
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    CompactImageFormat.write(sink, image);
    long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    // The former writer built a record, a path, a name and a boxed handle list per file (over 200 bytes each), and a
    // record per chunk.
    assertTrue(allocated < files * 8L, allocated + " bytes allocated writing " + files + " files");
  }

  /**
   * The format-5 body exactly as CompactImageFormat.write wrote it before the writer read names from the nodes
   * (1abe946; format 4 then, which lacked the chunk lengths): through each file's record and its path String. Kept as
   * the oracle the new writer is compared with.
   */
  private static byte[] referenceBody(StateImage image) throws IOException {
    return referenceBody(image, true);
  }

  /** withLengths: format 5, each chunk's length after its version (the top bit: logged); else format 4. */
  private static byte[] referenceBody(StateImage image, boolean withLengths) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(image.nextHandle());
      Map<PermissionStatus, Integer> permissions = new LinkedHashMap<>();
      image.directories().forEach(d -> index(permissions, d.permission()));
      image.files().forEach(f -> index(permissions, f.permission()));
      out.writeInt(permissions.size());
      for (PermissionStatus p : permissions.keySet()) {
        writeString(out, p.owner());
        writeString(out, p.group());
        out.writeShort(p.permission());
      }
      Map<String, Integer> directoryIndex = new HashMap<>(image.directories().size() * 2);
      out.writeInt(image.directories().size());
      for (StateImage.Directory d : image.directories()) {
        directoryIndex.putIfAbsent(d.path(), directoryIndex.size());
        writeString(out, d.path());
        out.writeLong(d.mtimeMillis());
        out.writeLong(d.accessTimeMillis());
        out.writeInt(d.permission() == null ? -1 : permissions.get(d.permission()));
      }
      out.writeInt(image.files().size());
      for (StateImage.File f : image.files()) {
        int slash = f.path().lastIndexOf('/');
        Integer parent = slash < 0 ? null : directoryIndex.get(slash == 0 ? "/" : f.path().substring(0, slash));
        out.writeInt(parent == null ? -1 : parent);
        writeString(out, parent == null ? f.path() : f.path().substring(slash + 1));
        out.writeInt(f.replication());
        out.writeLong(f.mtimeMillis());
        out.writeLong(f.accessTimeMillis());
        out.writeInt(f.permission() == null ? -1 : permissions.get(f.permission()));
        out.writeInt(f.chunkHandles().size());
        for (long handle : f.chunkHandles()) {
          out.writeLong(handle);
        }
      }
      out.writeInt(image.chunks().size());
      for (StateImage.Chunk c : image.chunks()) {
        out.writeLong(c.handle());
        out.writeLong(c.version());
        if (withLengths) {
          out.writeInt(c.lengthBytes() | (c.lengthLogged() ? Integer.MIN_VALUE : 0));
        }
      }
      out.writeInt(image.policies().size());
      for (StateImage.DirectoryPolicy p : image.policies()) {
        writeString(out, p.path());
        out.writeInt(p.replication());
        out.writeLong(p.gcRetentionMillis());
      }
    }
    return bytes.toByteArray();
  }

  private static void index(Map<PermissionStatus, Integer> permissions, PermissionStatus p) {
    if (p != null) {
      permissions.putIfAbsent(p, permissions.size());
    }
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }
}
