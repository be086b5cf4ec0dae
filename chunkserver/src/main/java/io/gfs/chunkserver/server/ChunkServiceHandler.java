package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.Refusal;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.thrift.gen.ChunkChecksum;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.ReadResult;
import io.gfs.thrift.gen.RecordAppendRequest;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.WriteRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunkserver's RPC edge. Every call runs through {@link #guard}: refusals and I/O errors become typed
 * GfsExceptions, and any other exception is logged and answered INTERNAL, so no client's bytes can take the server
 * down or leave a connection without an answer.
 */
final class ChunkServiceHandler implements ChunkServerService.Iface {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkServiceHandler.class);

  private final DataPipeline pipeline;
  private final Mutations mutations;
  private final ChunkOperations operations;
  private final ChunkCopies copies;
  private final EpochFence fence;

  ChunkServiceHandler(DataPipeline pipeline, Mutations mutations, ChunkOperations operations, ChunkCopies copies,
      EpochFence fence) {
    this.fence = fence;
    this.pipeline = pipeline;
    this.mutations = mutations;
    this.operations = operations;
    this.copies = copies;
  }

  @FunctionalInterface
  private interface Body<T> {
    T run() throws GfsException, Refusal, IOException;
  }

  @Override
  public void pushData(long dataId, long pieceOffsetBytes, ByteBuffer piece, boolean last, int totalLengthBytes,
      int crc32c, List<ServerAddress> forwardTo) throws GfsException {
    guard("pushData", () -> {
      pipeline.pushData(dataId, pieceOffsetBytes, piece, last, totalLengthBytes, crc32c, forwardTo);
      return null;
    });
  }

  @Override
  public void write(WriteRequest request) throws GfsException {
    guard("write", () -> {
      mutations.write(Validate.present(request, "write request"));
      return null;
    });
  }

  @Override
  public long recordAppend(RecordAppendRequest request) throws GfsException {
    return guard("recordAppend", () -> mutations.recordAppend(Validate.present(request, "record append request")));
  }

  @Override
  public void applyMutation(Mutation mutation) throws GfsException {
    guard("applyMutation", () -> {
      mutations.applyMutation(Validate.present(mutation, "mutation"));
      return null;
    });
  }

  @Override
  public ReadResult read(long handle, long version, long offsetBytes, int lengthBytes) throws GfsException {
    return guard("read", () -> operations.read(handle, version, offsetBytes, lengthBytes));
  }

  @Override
  public void assignVersion(long handle, long version, boolean create, long leaseDurationMillis, long epoch)
      throws GfsException {
    guard("assignVersion", () -> {
      fence.admit(epoch, "assignVersion(chunk " + handle + ", version " + version + ")");
      operations.assignVersion(handle, version, create, leaseDurationMillis);
      return null;
    });
  }

  @Override
  public ChunkChecksum getChunkChecksum(long handle, long version) throws GfsException {
    return guard("getChunkChecksum", () -> operations.checksum(handle, version));
  }

  @Override
  public void copyChunkFrom(long handle, long version, ServerAddress source, long epoch) throws GfsException {
    guard("copyChunkFrom", () -> {
      fence.admit(epoch, "copyChunkFrom(chunk " + handle + ")");
      copies.copyFrom(handle, version, source);
      return null;
    });
  }

  @Override
  public void copyChunkLocal(long sourceHandle, long targetHandle, long version, long epoch) throws GfsException {
    guard("copyChunkLocal", () -> {
      fence.admit(epoch, "copyChunkLocal(chunk " + sourceHandle + " to " + targetHandle + ")");
      copies.copyLocal(sourceHandle, targetHandle, version);
      return null;
    });
  }

  private static <T> T guard(String call, Body<T> body) throws GfsException {
    try {
      return body.run();
    } catch (GfsException e) {
      LOG.debug("{}: {} {}", call, e.getCode(), e.getMessage());
      throw e;
    } catch (Refusal e) {
      LOG.debug("{}: {} {}", call, e.code(), e.getMessage());
      throw Errors.of(e);
    } catch (IOException e) {
      LOG.warn("{}: {}", call, e.toString());
      throw Errors.of(e);
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError)) {
        throw (Error) e;
      }
      LOG.error("{} failed unexpectedly", call, e);
      throw RpcErrors.error(ErrorCode.INTERNAL, "%s failed inside the chunkserver: %s", call, e.toString());
    }
  }
}
