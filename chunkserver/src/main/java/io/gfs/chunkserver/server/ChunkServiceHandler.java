package io.gfs.chunkserver.server;

import io.gfs.chunkserver.state.Refusal;
import io.gfs.common.rpc.RpcErrors;
import io.gfs.common.security.AccessMode;
import io.gfs.thrift.gen.ChunkChecksum;
import io.gfs.thrift.gen.ChunkServerService;
import io.gfs.thrift.gen.ErrorCode;
import io.gfs.thrift.gen.GfsException;
import io.gfs.thrift.gen.Mutation;
import io.gfs.thrift.gen.MutationGroupOutcome;
import io.gfs.thrift.gen.ReadResult;
import io.gfs.thrift.gen.RecordAppendReply;
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
  private final TokenCheck tokens;

  /** Without access token checks (gfs.access.tokens.enabled=false), as unit tests of the handler use it. */
  ChunkServiceHandler(DataPipeline pipeline, Mutations mutations, ChunkOperations operations, ChunkCopies copies,
      EpochFence fence) {
    this(pipeline, mutations, operations, copies, fence,
        new TokenCheck(new io.gfs.common.security.TokenVerifier(false), System::currentTimeMillis));
  }

  ChunkServiceHandler(DataPipeline pipeline, Mutations mutations, ChunkOperations operations, ChunkCopies copies,
      EpochFence fence, TokenCheck tokens) {
    this.fence = fence;
    this.tokens = tokens;
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
      int crc32c, List<ServerAddress> forwardTo, ByteBuffer accessToken) throws GfsException {
    guard("pushData", () -> {
      tokens.checkAny(accessToken, AccessMode.WRITE, "pushData");
      pipeline.pushData(dataId, pieceOffsetBytes, piece, last, totalLengthBytes, crc32c, forwardTo,
          TokenCheck.bytes(accessToken));
      return null;
    });
  }

  @Override
  public void write(WriteRequest request) throws GfsException {
    guard("write", () -> {
      tokens.check(Validate.present(request, "write request").bufferForAccessToken(), request.getHandle(),
          AccessMode.WRITE, "write");
      mutations.write(request);
      return null;
    });
  }

  @Override
  public long recordAppend(RecordAppendRequest request) throws GfsException {
    return guard("recordAppend", () -> {
      tokens.check(Validate.present(request, "record append request").bufferForAccessToken(), request.getHandle(),
          AccessMode.WRITE, "recordAppend");
      return mutations.recordAppend(request);
    });
  }

  @Override
  public RecordAppendReply appendRecord(RecordAppendRequest request) throws GfsException {
    return guard("appendRecord", () -> {
      tokens.check(Validate.present(request, "record append request").bufferForAccessToken(), request.getHandle(),
          AccessMode.WRITE, "appendRecord");
      return mutations.appendRecord(request);
    });
  }

  @Override
  public void applyMutation(Mutation mutation) throws GfsException {
    guard("applyMutation", () -> {
      tokens.check(Validate.present(mutation, "mutation").bufferForAccessToken(), mutation.getHandle(),
          AccessMode.WRITE, "applyMutation");
      mutations.applyMutation(mutation);
      return null;
    });
  }

  @Override
  public MutationGroupOutcome applyMutations(List<Mutation> group) throws GfsException {
    return guard("applyMutations", () -> {
      for (Mutation mutation : Validate.present(group, "mutations")) {
        tokens.check(Validate.present(mutation, "mutation").bufferForAccessToken(), mutation.getHandle(),
            AccessMode.WRITE, "applyMutations");
      }
      return mutations.applyMutations(group);
    });
  }

  @Override
  public ReadResult read(long handle, long version, long offsetBytes, int lengthBytes, ByteBuffer accessToken)
      throws GfsException {
    return guard("read", () -> {
      tokens.check(accessToken, handle, AccessMode.READ, "read");
      return operations.read(handle, version, offsetBytes, lengthBytes);
    });
  }

  @Override
  public void assignVersion(long handle, long version, boolean create, long leaseDurationMillis, long epoch,
      ByteBuffer accessToken) throws GfsException {
    guard("assignVersion", () -> {
      tokens.check(accessToken, handle, AccessMode.MASTER, "assignVersion");
      fence.admit(epoch, "assignVersion(chunk " + handle + ", version " + version + ")");
      operations.assignVersion(handle, version, create, leaseDurationMillis);
      return null;
    });
  }

  @Override
  public ChunkChecksum getChunkChecksum(long handle, long version, ByteBuffer accessToken) throws GfsException {
    return guard("getChunkChecksum", () -> {
      tokens.check(accessToken, handle, AccessMode.READ, "getChunkChecksum");
      return operations.checksum(handle, version);
    });
  }

  @Override
  public void copyChunkFrom(long handle, long version, ServerAddress source, long epoch, ByteBuffer accessToken)
      throws GfsException {
    guard("copyChunkFrom", () -> {
      tokens.check(accessToken, handle, AccessMode.MASTER, "copyChunkFrom");
      fence.admit(epoch, "copyChunkFrom(chunk " + handle + ")");
      copies.copyFrom(handle, version, source, TokenCheck.bytes(accessToken)); // the source checks it too
      return null;
    });
  }

  @Override
  public void copyChunkLocal(long sourceHandle, long targetHandle, long version, long epoch, ByteBuffer accessToken)
      throws GfsException {
    guard("copyChunkLocal", () -> {
      tokens.check(accessToken, targetHandle, AccessMode.MASTER, "copyChunkLocal");
      tokens.check(accessToken, sourceHandle, AccessMode.MASTER, "copyChunkLocal");
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
