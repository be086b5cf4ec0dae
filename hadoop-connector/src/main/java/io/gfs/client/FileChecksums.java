package io.gfs.client;

import io.gfs.client.state.ChunkReplicas;
import io.gfs.common.Crc32c;
import io.gfs.common.HostPort;
import io.gfs.thrift.gen.ChunkChecksum;
import io.gfs.thrift.gen.ChunkLocation;
import io.gfs.thrift.gen.ChunkLocations;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransportException;

/**
 * A file's CRC32C composed from its chunks' CRCs, which each chunkserver composes from its stored 64 KiB block CRCs:
 * no file data crosses the network. Chunks are taken in order and combined with {@link Crc32c#combine}; a replica whose
 * length differs from the length the master knows for the chunk (a write in flight) is passed over for another.
 */
final class FileChecksums {
  private final ClientContext context;

  FileChecksums(ClientContext context) {
    this.context = context;
  }

  GfsFileChecksum of(String path) throws IOException {
    ChunkLocations first = context.findChunks(path, 0);
    if (first.getFile().isDirectory()) {
      throw new GfsClientException(ErrorCode.IS_DIRECTORY, "checksum of " + path + ": is a directory");
    }
    long chunkCount = first.getFile().getChunkCount();
    int crc = 0;
    long length = 0;
    long next = 0;
    List<ChunkLocation> page = first.getChunks();
    while (next < chunkCount) {
      long progressed = next;
      for (ChunkLocation chunk : page) {
        if (chunk.getChunkIndex() != progressed) {
          continue;
        }
        ChunkReplicas replicas = ClientContext.toReplicas(chunk);
        int chunkCrc = chunkCrc(path, replicas);
        crc = Crc32c.combine(crc, chunkCrc, replicas.lengthBytes());
        length += replicas.lengthBytes();
        progressed++;
      }
      if (progressed == next) {
        throw new IOException("checksum of " + path + ": the master lists no chunk " + next + " of " + chunkCount
            + " (the file changed meanwhile?)");
      }
      next = progressed;
      if (next < chunkCount) {
        page = context.findChunks(path, next).getChunks();
      }
    }
    return new GfsFileChecksum(length, crc);
  }

  private int chunkCrc(String path, ChunkReplicas chunk) throws IOException {
    List<String> errors = new ArrayList<>();
    for (HostPort replica : context.order.order(chunk.replicas())) {
      try {
        ChunkChecksum answer = context.rpc.chunkServer(replica,
            c -> c.getChunkChecksum(chunk.handle(), chunk.version(), ClientContext.token(chunk.accessToken())));
        if (answer.getLengthBytes() == chunk.lengthBytes()) {
          return answer.getCrc32c();
        }
        errors.add(replica + ": holds " + answer.getLengthBytes() + " bytes, the master knows "
            + chunk.lengthBytes());
      } catch (GfsException e) {
        errors.add(replica + ": " + e.getCode() + " " + e.getMessage());
      } catch (TTransportException e) {
        context.forget(replica);
        errors.add(replica + ": " + e.getMessage());
      } catch (TException e) {
        errors.add(replica + ": " + e);
      }
    }
    throw new IOException(String.format("checksum of %s: no replica of chunk %d (handle %d) gave the CRC of its %d"
        + " bytes: %s", path, chunk.chunkIndex(), chunk.handle(), chunk.lengthBytes(), errors));
  }
}
