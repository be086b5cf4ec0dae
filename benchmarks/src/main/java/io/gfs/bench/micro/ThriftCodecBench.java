package io.gfs.bench.micro;

import io.gfs.thrift.gen.FileInfo;
import io.gfs.thrift.gen.ServerAddress;
import io.gfs.thrift.gen.WriteRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TDeserializer;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** RPC encode and decode with the binary protocol the servers speak: a FileInfo reply and a WriteRequest. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ThriftCodecBench {
  private TSerializer serializer;
  private TDeserializer deserializer;
  private FileInfo fileInfo;
  private WriteRequest writeRequest;
  private byte[] fileInfoBytes;
  private byte[] writeRequestBytes;

  @Setup
  public void setUp() throws TException {
    serializer = new TSerializer(new TBinaryProtocol.Factory());
    deserializer = new TDeserializer(new TBinaryProtocol.Factory());
    fileInfo = new FileInfo("/logs/2026/11/26/part-00042", false, 123_456_789L, 3, 64L << 20, 1_764_000_000_000L, 2);
    fileInfo.setOwner("alice").setGroup("staff").setPermission((short) 0644).setAccessTimeMillis(1_764_000_000_000L);
    writeRequest = new WriteRequest(42, 7, 1L << 20, 0x1234_5678_9abcL, 1 << 20,
        List.of(new ServerAddress("127.0.0.1", 40001), new ServerAddress("127.0.0.1", 40002)), false);
    fileInfoBytes = serializer.serialize(fileInfo);
    writeRequestBytes = serializer.serialize(writeRequest);
  }

  @Benchmark
  public byte[] encodeFileInfo() throws TException {
    return serializer.serialize(fileInfo);
  }

  @Benchmark
  public FileInfo decodeFileInfo() throws TException {
    FileInfo decoded = new FileInfo();
    deserializer.deserialize(decoded, fileInfoBytes);
    return decoded;
  }

  @Benchmark
  public byte[] encodeWriteRequest() throws TException {
    return serializer.serialize(writeRequest);
  }

  @Benchmark
  public WriteRequest decodeWriteRequest() throws TException {
    WriteRequest decoded = new WriteRequest();
    deserializer.deserialize(decoded, writeRequestBytes);
    return decoded;
  }
}
