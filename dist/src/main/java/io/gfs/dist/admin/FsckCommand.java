package io.gfs.dist.admin;

import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkLocations;
import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.ListingEntry;
import io.gfs.thrift.gen.ListingPage;
import io.gfs.thrift.gen.ServerAddress;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code gfs admin fsck PATH} (HDFS's fsck): walks the tree under PATH through located listings and judges every chunk
 * by its live, current, uncorrupted replicas as the master knows them: healthy at the file's replication,
 * under-replicated below it (re-replication is on it), missing with none (unreadable now). Exit status 0 when no chunk
 * is missing, 1 otherwise, so scripts can test it. -files lists each file, -blocks each chunk, -locations the replicas.
 */
final class FsckCommand implements Command {
  private static final int PAGE_ENTRIES = 1000;
  private static final int FIND_CHUNKS_MAX = 1024;

  /** What the walk counted. */
  private static final class Totals {
    long files;
    long directories;
    long bytes;
    long chunks;
    long replicas;
    long underReplicated;
    long missing;
    long filesWithMissing;
  }

  @Override
  public String usage() {
    return "fsck PATH [-files [-blocks [-locations]]]";
  }

  @Override
  public Set<String> switches() {
    return Set.of("files", "blocks", "locations");
  }

  @Override
  public int run(Args args, AdminContext context) throws IOException, UsageException {
    String root = args.word(0, "PATH");
    args.atMost(1);
    PrintStream out = context.out();
    out.println("fsck of " + root + " (replicas as the master knows them: live, current version, not corrupt)");
    Totals totals = new Totals();
    Deque<String> directories = new ArrayDeque<>();
    FileInfo top = context.admin().fileInfo(root);
    if (top.isDirectory()) {
      totals.directories++;
      directories.push(top.getPath());
    } else {
      checkEntries(context, args, totals, page(context, top.getPath(), "").getEntries(), directories);
    }
    while (!directories.isEmpty()) {
      String directory = directories.pop();
      String after = "";
      ListingPage page;
      do {
        page = page(context, directory, after);
        checkEntries(context, args, totals, page.getEntries(), directories);
        if (!page.getEntries().isEmpty()) {
          after = page.getEntries().get(page.getEntries().size() - 1).getFile().getPath();
        }
      } while (page.isHasMore() && !page.getEntries().isEmpty());
    }
    boolean healthy = totals.missing == 0;
    out.println();
    out.println("Status: " + (healthy ? "HEALTHY" : "CORRUPT"));
    out.printf(" Total size:              %d B (%s)%n", totals.bytes, Formats.bytes(totals.bytes));
    out.printf(" Total directories:       %d%n", totals.directories);
    out.printf(" Total files:             %d%n", totals.files);
    out.printf(" Total chunks:            %d (avg. replicas %.2f)%n", totals.chunks,
        totals.chunks == 0 ? 0.0 : (double) totals.replicas / totals.chunks);
    out.printf(" Under-replicated chunks: %d (%s)%n", totals.underReplicated,
        Formats.percent(totals.underReplicated, totals.chunks));
    out.printf(" Missing chunks:          %d in %d files%n", totals.missing, totals.filesWithMissing);
    out.println("The filesystem under path '" + root + "' is " + (healthy ? "HEALTHY" : "CORRUPT"));
    return healthy ? 0 : 1;
  }

  private static ListingPage page(AdminContext context, String path, String after) throws IOException {
    return context.admin().listPage(path, after, PAGE_ENTRIES, true);
  }

  private void checkEntries(AdminContext context, Args args, Totals totals, List<ListingEntry> entries,
      Deque<String> directories) throws IOException {
    for (ListingEntry entry : entries) {
      FileInfo file = entry.getFile();
      if (file.isDirectory()) {
        totals.directories++;
        directories.push(file.getPath());
      } else {
        List<ChunkLocation> chunks = entry.isSetChunks() ? entry.getChunks() : allChunks(context, file);
        checkFile(context.out(), args, totals, file, chunks);
      }
    }
  }

  /** A file with more chunks than a listing page carries: asked for in findChunks pages. */
  private static List<ChunkLocation> allChunks(AdminContext context, FileInfo file) throws IOException {
    List<ChunkLocation> out = new ArrayList<>();
    while (out.size() < file.getChunkCount()) {
      ChunkLocations page = context.admin().findChunks(file.getPath(), out.size(), FIND_CHUNKS_MAX);
      if (page.getChunks().isEmpty()) {
        break;
      }
      out.addAll(page.getChunks());
    }
    return out;
  }

  private void checkFile(PrintStream out, Args args, Totals totals, FileInfo file, List<ChunkLocation> chunks) {
    totals.files++;
    totals.bytes += file.getLengthBytes();
    int under = 0;
    int missing = 0;
    List<String> chunkLines = new ArrayList<>();
    for (ChunkLocation chunk : chunks) {
      int replicas = chunk.getReplicasSize();
      totals.chunks++;
      totals.replicas += replicas;
      String health;
      if (replicas == 0) {
        missing++;
        health = "MISSING";
      } else if (replicas < file.getReplication()) {
        under++;
        health = "UNDER-REPLICATED";
      } else {
        health = "OK";
      }
      if (args.has("blocks")) {
        chunkLines.add(String.format("  chunk %d: handle %d v%d %d B, %d/%d replicas %s%s", chunk.getChunkIndex(),
            chunk.getHandle(), chunk.getVersion(), chunk.getLengthBytes(), replicas, file.getReplication(), health,
            args.has("locations") ? " " + addresses(chunk.getReplicas()) : ""));
      }
    }
    totals.underReplicated += under;
    totals.missing += missing;
    if (missing > 0) {
      totals.filesWithMissing++;
    }
    if (args.has("files") || args.has("blocks") || missing > 0) {
      String verdict = missing > 0 ? "CORRUPT: " + missing + " missing chunk(s)"
          : under > 0 ? "UNDER-REPLICATED: " + under + " chunk(s)" : "OK";
      out.printf("%s %d bytes, replication %d, %d chunk(s): %s%n", file.getPath(), file.getLengthBytes(),
          file.getReplication(), chunks.size(), verdict);
      chunkLines.forEach(out::println);
    }
  }

  private static String addresses(List<ServerAddress> replicas) {
    StringJoiner joined = new StringJoiner(", ", "[", "]");
    for (ServerAddress a : replicas) {
      joined.add(a.getHost() + ":" + a.getPort());
    }
    return joined.toString();
  }
}
