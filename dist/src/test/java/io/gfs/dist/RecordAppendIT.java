package io.gfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gfs.common.HostPort;
import io.gfs.common.rpc.RpcClients;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.rpc.RpcLimits;
import io.gfs.hadoop.GfsFileSystem;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkLocations;
import io.gfs.thrift.gen.ReadResult;
import io.gfs.thrift.gen.ServerAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 2 [0104-0111]: 16 concurrent record appenders on one file, across many chunk boundaries. Every acknowledged
 * record is intact at its returned offset on every replica, and the only space not covered by records is the zero
 * padding at the end of a chunk, where the next record did not fit. Right after each append returns, another client's
 * getFileStatus covers the record.
 */
class RecordAppendIT {
  private static final int APPENDERS = 16;
  private static final int RECORDS_PER_APPENDER = 40;
  private static final long CHUNK_BYTES = 1 << 20;
  private static final int RECORD_BYTES_MAX = 64 * 1024;
  private static final int HEADER_BYTES = 16;
  private static final int MAGIC = 0x6766_7372;

  record Appended(long offset, byte[] record) {}

  @Test
  void concurrentAppendersLandAtomicallyOnEveryReplica() throws Exception {
    try (MiniGfsCluster cluster = MiniGfsCluster.builder(TestData.clusterDir("record-append"))
            .chunkServers(3).chunkSizeBytes(CHUNK_BYTES).separateProcesses(true).build();
        FileSystem fs = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration());
        FileSystem reader = FileSystem.newInstance(cluster.uri(), cluster.clientConfiguration())) {
      GfsFileSystem gfs = (GfsFileSystem) fs;
      Path path = new Path("/logs/appended");
      fs.create(path).close();

      ExecutorService pool = Executors.newFixedThreadPool(APPENDERS);
      List<Future<List<Appended>>> futures = new ArrayList<>();
      for (int w = 0; w < APPENDERS; w++) {
        int writer = w;
        futures.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(writer);
          List<Appended> mine = new ArrayList<>();
          for (int seq = 0; seq < RECORDS_PER_APPENDER; seq++) {
            byte[] record = record(writer, seq, HEADER_BYTES + 4 + random.nextInt(RECORD_BYTES_MAX - 20), random);
            long offset = gfs.recordAppend(path, record);
            mine.add(new Appended(offset, record));
            // Another client, right after the append returned, sees the record in the file's length (issue 6: the
            // primary reports it for the record's group, before its reply).
            long seen = reader.getFileStatus(path).getLen();
            assertTrue(seen >= offset + record.length, "after appending at " + offset + " (" + record.length
                + " bytes) another client saw a length of " + seen);
          }
          return mine;
        }));
      }
      TreeMap<Long, byte[]> byOffset = new TreeMap<>();
      for (Future<List<Appended>> f : futures) {
        for (Appended a : f.get()) {
          assertEquals(null, byOffset.put(a.offset, a.record), "two records acknowledged at " + a.offset);
        }
      }
      pool.shutdown();
      assertEquals(APPENDERS * RECORDS_PER_APPENDER, byOffset.size());
      long lastEnd = byOffset.lastEntry().getKey() + byOffset.lastEntry().getValue().length;
      assertTrue(lastEnd > 4 * CHUNK_BYTES, "the test must cross several chunk boundaries, ended at " + lastEnd);

      try (RpcClients rpc = new RpcClients(RpcLimits.defaults())) {
        ChunkLocations chunks = rpc.master(cluster.masterAddress(), c -> c.findChunks("/logs/appended", 0, 10_000));
        for (ChunkLocation chunk : chunks.getChunks()) {
          assertEquals(3, chunk.getReplicasSize(), "replicas of chunk " + chunk.getChunkIndex());
          for (ServerAddress replica : chunk.getReplicas()) {
            byte[] bytes = readWholeChunk(rpc, RpcErrors.fromThrift(replica), chunk);
            verifyChunk(chunk.getChunkIndex(), replica, bytes, byOffset, chunk.getChunkIndex() == chunks.getChunksSize() - 1);
          }
        }
      }
    }
  }

  private static byte[] record(int writer, int seq, int length, SplittableRandom random) {
    ByteBuffer b = ByteBuffer.allocate(length);
    b.putInt(MAGIC).putInt(writer).putInt(seq).putInt(length);
    while (b.position() < length - 4) {
      b.put((byte) random.nextInt());
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, length - 4);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  private static byte[] readWholeChunk(RpcClients rpc, HostPort replica, ChunkLocation chunk) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    long offset = 0;
    while (true) {
      long at = offset;
      ReadResult r = rpc.chunkServer(replica, c -> c.read(chunk.getHandle(), chunk.getVersion(), at, 1 << 20,
          chunk.bufferForAccessToken())); // the master's READ token from findChunks
      byte[] data = r.getData();
      out.write(data);
      offset += data.length;
      if (data.length == 0 || offset >= r.getChunkLengthBytes()) {
        return out.toByteArray();
      }
    }
  }

  private static void verifyChunk(long chunkIndex, ServerAddress replica, byte[] bytes, TreeMap<Long, byte[]> records,
      boolean lastChunk) {
    long chunkStart = chunkIndex * CHUNK_BYTES;
    Map<Long, byte[]> inChunk = records.subMap(chunkStart, chunkStart + CHUNK_BYTES);
    String where = "chunk " + chunkIndex + " on " + replica.getHost() + ":" + replica.getPort();
    long expectedNext = 0;
    for (Map.Entry<Long, byte[]> e : inChunk.entrySet()) {
      int at = (int) (e.getKey() - chunkStart);
      byte[] record = e.getValue();
      assertTrue(at + record.length <= CHUNK_BYTES, "a record crosses the end of " + where);
      assertEquals(expectedNext, at, "records are contiguous from the chunk's start in " + where);
      assertTrue(bytes.length >= at + record.length, where + " is too short for the record at " + at);
      for (int i = 0; i < record.length; i++) {
        if (bytes[at + i] != record[i]) {
          throw new AssertionError("record at file offset " + e.getKey() + " differs at byte " + i + " in " + where);
        }
      }
      expectedNext = at + record.length;
    }
    if (!lastChunk) {
      assertEquals(CHUNK_BYTES, bytes.length, where + " is padded to the chunk size");
      for (long i = expectedNext; i < CHUNK_BYTES; i++) {
        assertEquals(0, bytes[(int) i], "padding byte " + i + " of " + where);
      }
      assertTrue(CHUNK_BYTES - expectedNext < RECORD_BYTES_MAX,
          "padding in " + where + " is only where a record did not fit: " + (CHUNK_BYTES - expectedNext) + " bytes");
    }
  }
}
