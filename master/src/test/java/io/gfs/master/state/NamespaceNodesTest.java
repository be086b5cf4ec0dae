package io.gfs.master.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The compact namespace nodes (issue 6's heap per file): byte names against String, a directory's sorted child array
 * against a TreeMap, and a file's packed array (name, access time, handles) against plain fields, on seeded random
 * sequences.
 */
class NamespaceNodesTest {
  private static final PermissionStatus OWNER = new PermissionStatus("alice", "staff", (short) 0644);

  /** Names over the units where the encoding changes length, surrogates alone and in pairs included. */
  private static String randomName(SplittableRandom random, int lengthMax) {
    char[] pool = {'a', 'b', 'z', '-', '.', '~', 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0x4E2D, 0xD800, 0xDBFF, 0xDC00, 0xDFFF,
        0xE000, 0xFFFD, 0xFFFF};
    StringBuilder name = new StringBuilder();
    int length = 1 + random.nextInt(lengthMax);
    for (int i = 0; i < length; i++) {
      name.append(random.nextInt(3) == 0 ? pool[random.nextInt(pool.length)] : (char) ('a' + random.nextInt(4)));
    }
    return name.toString();
  }

  @Test
  void byteNamesRoundTripAndSortAsStrings() {
    SplittableRandom random = new SplittableRandom(61);
    for (int i = 0; i < 20_000; i++) {
      String a = randomName(random, 6);
      String b = i % 10 == 0 ? a : randomName(random, 6);
      byte[] encoded = NameBytes.encode(b);
      assertEquals(NameBytes.encodedLength(b), encoded.length);
      assertEquals(b, NameBytes.decode(encoded, 0, encoded.length));
      assertEquals(Integer.signum(a.compareTo(b)), Integer.signum(NameBytes.compare(a, encoded, 0, encoded.length)),
          a + " vs " + b);
    }
    assertArrayEquals("f000123".getBytes(java.nio.charset.StandardCharsets.US_ASCII), NameBytes.encode("f000123"));
  }

  @Test
  void childArrayBehavesLikeATreeMapInNameOrder() {
    SplittableRandom random = new SplittableRandom(62);
    ChildArray children = new ChildArray();
    TreeMap<String, Node> reference = new TreeMap<>();
    for (int step = 0; step < 30_000; step++) {
      String name = randomName(random, 3);
      int op = random.nextInt(10);
      if (op < 4) {
        Node node = file(name);
        assertSame(reference.put(name, node), children.put(name, node), "put " + name);
      } else if (op < 6) {
        Node node = new DirectoryNode("elsewhere", 1, OWNER); // renamed on the way in
        Node previous = children.putIfAbsent(name, node);
        assertSame(reference.putIfAbsent(name, node), previous, "putIfAbsent " + name);
        assertEquals(name, reference.get(name).name());
      } else if (op < 8) {
        assertSame(reference.remove(name), children.remove(name), "remove " + name);
      }
      assertSame(reference.get(name), children.get(name), "get " + name);
      assertEquals(reference.containsKey(name), children.containsKey(name));
      assertEquals(reference.size(), children.size());
      if (step % 1_000 == 0) {
        children.checkInvariants();
        assertEquals(List.copyOf(reference.keySet()), children.keySet());
        String after = randomName(random, 3);
        assertEquals(entries(reference.tailMap(after, false)), entries(children.tailMap(after, false).entrySet()));
        assertEquals(entries(reference.tailMap(after, true)), entries(children.tailMap(after, true).entrySet()));
      }
    }
    assertTrue(reference.size() > 2 * ChildArray.BATCH, "iteration crossed batches: " + reference.size());
    List<String> visited = new ArrayList<>();
    children.forEach((name, node) -> {
      assertSame(reference.get(name), node);
      assertEquals(name, node.name());
      visited.add(name);
    });
    assertEquals(List.copyOf(reference.keySet()), visited);
  }

  @Test
  void aVisitorMayEmptyTheDirectoryItWalks() {
    ChildArray children = new ChildArray();
    for (int i = 0; i < 3 * ChildArray.BATCH + 5; i++) {
      children.put(String.format("f%04d", i), file("x"));
    }
    List<String> visited = new ArrayList<>();
    children.forEach((name, node) -> {
      visited.add(name);
      assertSame(node, children.remove(name));
    });
    assertEquals(3 * ChildArray.BATCH + 5, visited.size());
    assertTrue(children.isEmpty());
    children.checkInvariants();
  }

  @Test
  void concurrentCreatesAndLookupsInOneDirectoryLoseNothing() throws InterruptedException {
    ChildArray children = new ChildArray();
    int threads = 4;
    int perThread = 2_000;
    for (int i = 0; i < perThread; i++) {
      children.put("old" + i, file("old" + i));
    }
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread thread = new Thread(() -> {
        try {
          for (int i = 0; i < perThread; i++) {
            String name = "new" + id + "-" + i;
            Check.state(children.putIfAbsent(name, file(name)) == null, "%s taken", name);
            // Lookups racing the other writers' inserts must still find what exists.
            Node old = children.get("old" + i);
            Check.state(old != null && old.name().equals("old" + i), "old%s not found", i);
            Check.state(children.get(name) != null, "%s not found after its insert", name);
            Check.state(children.remove("old" + ((i * 7 + id) % perThread) + "-missing") == null, "phantom");
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      started.add(thread);
      thread.start();
    }
    for (Thread thread : started) {
      thread.join();
    }
    assertEquals(List.of(), List.copyOf(failures));
    children.checkInvariants();
    assertEquals(perThread + threads * perThread, children.size());
  }

  @Test
  void aFileKeepsExactTimesNameAndHandlesThroughEveryChange() {
    FileNode file = new FileNode("f000123", 3, 1_000, OWNER);
    assertEquals(1 + 7, file.dataArray().length, "header byte and the name: nothing else for a new file");
    assertEquals(1_000, file.accessTimeMillis());
    file.touch(2_000); // a chunk added later: the access time stays the creation time
    assertEquals(2_000, file.mtimeMillis());
    assertEquals(1_000, file.accessTimeMillis());
    file.setAccessTime(2_000); // equal again: stored implicitly
    assertEquals(1 + 7, file.dataArray().length);
    file.setAccessTime(Long.MIN_VALUE + 1);
    assertEquals(Long.MIN_VALUE + 1, file.accessTimeMillis());
    long[] handles = {1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0x0102030405060708L};
    for (long handle : handles) {
      file.addChunk(handle);
    }
    file.restoreMtime(-5);
    assertEquals(-5, file.mtimeMillis());
    assertEquals(Long.MIN_VALUE + 1, file.accessTimeMillis());
    assertArrayEquals(handles, file.chunkHandleArray());
    String longName = "\u4E2D".repeat(30) + "\uD800x"; // 93 bytes: a two-byte header
    FileNode copy = file.copy();
    file.rename(longName);
    assertEquals(longName, file.name());
    assertEquals(0, file.compareToName(longName));
    assertEquals("f000123", copy.name());
    file.replaceChunk(2, 42);
    file.removeLastChunk();
    assertEquals(List.of(1L, -1L, 42L, Long.MIN_VALUE), file.chunkHandles());
    assertEquals(5, copy.chunkCount(), "the snapshot copy keeps its own handles");
    assertEquals(Long.MAX_VALUE, copy.chunkHandle(2));
    assertEquals(Long.MIN_VALUE + 1, file.accessTimeMillis());
    assertEquals(Long.MIN_VALUE + 1, copy.accessTimeMillis());
    file.appendChunks(List.of(7L, 8L));
    assertEquals(6, file.chunkCount());
    assertEquals(8L, file.chunkHandle(5));
    assertEquals(Long.MIN_VALUE + 1, FileNode.accessTimeMillis(file.dataArray(), file.mtimeMillis()));
    assertThrows(IllegalArgumentException.class, () -> file.chunkHandle(6));
    FileNode empty = new FileNode("e", 1, 9, OWNER);
    assertThrows(IllegalStateException.class, empty::removeLastChunk);
    assertEquals(List.of(), empty.chunkHandles());
  }

  @Test
  void aRandomFileMatchesPlainFields() {
    SplittableRandom random = new SplittableRandom(63);
    for (int round = 0; round < 200; round++) {
      String name = randomName(random, 80);
      FileNode file = new FileNode(name, 3, random.nextLong(), OWNER);
      long accessMillis = file.mtimeMillis();
      List<Long> handles = new ArrayList<>();
      for (int step = 0; step < 50; step++) {
        switch (random.nextInt(6)) {
          case 0 -> {
            long handle = random.nextLong();
            file.addChunk(handle);
            handles.add(handle);
          }
          case 1 -> {
            long millis = random.nextInt(2) == 0 ? file.mtimeMillis() : random.nextLong();
            file.setAccessTime(millis);
            accessMillis = millis;
          }
          case 2 -> file.touch(file.mtimeMillis() + random.nextInt(3));
          case 3 -> file.restoreMtime(random.nextLong());
          case 4 -> {
            name = randomName(random, 80);
            file.rename(name);
          }
          default -> {
            if (!handles.isEmpty()) {
              file.removeLastChunk();
              handles.remove(handles.size() - 1);
            }
          }
        }
        assertEquals(name, file.name());
        assertEquals(accessMillis, file.accessTimeMillis());
        assertEquals(handles, file.chunkHandles());
      }
    }
  }

  @Test
  void aFileRestoredInOneStepEqualsOneBuiltStepByStep() {
    NamespaceTree tree = new NamespaceTree();
    DirectoryNode parent = tree.mkdirs(List.of("d"), 5, null);
    long[] handles = {11, 12, 13, 99};
    FileNode whole = tree.restoreFile(parent, "whole", 2, 1_000, 700, OWNER, handles, 3);
    FileNode stepwise = tree.restoreFile(parent, "stepwise", 2, 1_000, OWNER);
    stepwise.setAccessTime(700);
    stepwise.appendChunks(List.of(11L, 12L, 13L));
    assertArrayEquals(stepwise.chunkHandleArray(), whole.chunkHandleArray());
    assertEquals(stepwise.accessTimeMillis(), whole.accessTimeMillis());
    assertEquals(stepwise.dataArray().length - "stepwise".length(), whole.dataArray().length - "whole".length());
    assertEquals(List.of(11L, 12L, 13L), whole.chunkHandles());
    assertEquals(700, whole.accessTimeMillis());
    assertEquals(1_000, whole.mtimeMillis());
    assertEquals("whole", whole.name());
    assertSame(whole, parent.children.get("whole"));
    assertEquals(2, tree.fileCount());
    FileNode same = tree.restoreFile(parent, "same", 1, 1_000, 1_000, OWNER, handles, 0);
    assertEquals(1 + 4, same.dataArray().length, "an access time equal to the modification time is not stored");
    assertThrows(IllegalStateException.class, () -> tree.restoreFile(parent, "same", 1, 1, 1, OWNER, handles, 0));
  }

  private static FileNode file(String name) {
    return new FileNode(name, 3, 1, OWNER);
  }

  private static List<String> entries(Map<String, Node> map) {
    List<String> out = new ArrayList<>();
    map.forEach((name, node) -> out.add(name + "=" + System.identityHashCode(node)));
    return out;
  }

  private static List<String> entries(Iterable<Map.Entry<String, Node>> entries) {
    List<String> out = new ArrayList<>();
    entries.forEach(e -> out.add(e.getKey() + "=" + System.identityHashCode(e.getValue())));
    return out;
  }
}
