package io.gfs.chunkserver.state;

import io.gfs.common.Check;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the primary puts a group of record appends that waited for the same chunk while an earlier group was being
 * applied (group commit [0111]: "the primary replica may serialize the append requests"). The records are placed one
 * after another in arrival order, each exactly as {@link RecordAppendDecision} would place it alone at the chunk's
 * length so far: a record that fits goes at the end; the first that does not pads the chunk, and every later one in the
 * group shares that one padding mutation (each of their clients hears CHUNK_FULL once the padding is on every
 * replica) [0106-0108]. Every mutation gets the next serial number, in list order, so secondaries apply them in the
 * order the primary did [0102].
 *
 * @param mutations what the primary applies and sends, in serial order
 * @param mutationOfRequest for each request (by arrival index), the index in {@code mutations} deciding its outcome
 * @param chunkLengthBytes the chunk's length once every mutation is applied
 */
public record RecordAppendGroup(List<Planned> mutations, List<Integer> mutationOfRequest, long chunkLengthBytes) {
  /**
   * Most record appends applied as one group: bounds a secondary's batch call and how long one group holds the chunk.
   */
  public static final int MUTATIONS_MAX = 64;

  /** A request waiting to be placed: its record's length and the chunk size its client was told. */
  public record Request(int recordLengthBytes, long chunkSizeBytes) {}

  /**
   * One mutation of the group.
   *
   * @param kind FITS (the record of request {@code requestIndex} at {@code offsetBytes}) or PAD (every replica pads to
   *     {@code offsetBytes}; requestIndex is the first request that did not fit)
   */
  public record Planned(RecordAppendDecision.Kind kind, long offsetBytes, int requestIndex, int lengthBytes) {
    public Planned {
      Check.argument(kind == RecordAppendDecision.Kind.FITS || kind == RecordAppendDecision.Kind.PAD,
          "a planned mutation is FITS or PAD, not %s", kind);
      Check.argument(offsetBytes >= 0 && requestIndex >= 0 && lengthBytes >= 0, "bad planned mutation %s at %s, "
          + "request %s, %s bytes", kind, offsetBytes, requestIndex, lengthBytes);
    }
  }

  public RecordAppendGroup {
    mutations = List.copyOf(mutations);
    mutationOfRequest = List.copyOf(mutationOfRequest);
  }

  /**
   * Places {@code requests} (arrival order, each within a quarter of its chunk size) on a chunk now {@code
   * chunkLengthBytes} long.
   */
  public static RecordAppendGroup place(long chunkLengthBytes, List<Request> requests) {
    Check.argument(chunkLengthBytes >= 0, "chunk length %s < 0", chunkLengthBytes);
    Check.argument(!requests.isEmpty() && requests.size() <= MUTATIONS_MAX, "%s requests in a group, not 1..%s",
        requests.size(), MUTATIONS_MAX);
    List<Planned> mutations = new ArrayList<>(requests.size());
    List<Integer> mutationOf = new ArrayList<>(requests.size());
    long lengthBytes = chunkLengthBytes;
    for (int i = 0; i < requests.size(); i++) {
      Request request = requests.get(i);
      RecordAppendDecision decision =
          RecordAppendDecision.decide(lengthBytes, request.recordLengthBytes(), request.chunkSizeBytes());
      Check.argument(decision.kind() != RecordAppendDecision.Kind.TOO_LARGE,
          "request %s: a record of %s bytes is over a quarter of the %s-byte chunk", i, request.recordLengthBytes(),
          request.chunkSizeBytes());
      if (decision.kind() == RecordAppendDecision.Kind.FITS) {
        mutations.add(new Planned(decision.kind(), decision.offsetBytes(), i, request.recordLengthBytes()));
        lengthBytes += request.recordLengthBytes();
      } else if (!padsTo(mutations, decision.offsetBytes())) {
        mutations.add(new Planned(decision.kind(), decision.offsetBytes(), i, 0));
        lengthBytes = Math.max(lengthBytes, decision.offsetBytes());
      }
      mutationOf.add(mutations.size() - 1);
    }
    Check.state(mutationOf.size() == requests.size() && mutations.size() <= requests.size(),
        "%s requests placed by %s mutations", requests.size(), mutations.size());
    return new RecordAppendGroup(mutations, mutationOf, lengthBytes);
  }

  /** Did the group's last mutation pad the chunk to exactly this length already? Then it serves this request too. */
  private static boolean padsTo(List<Planned> mutations, long paddedLengthBytes) {
    if (mutations.isEmpty()) {
      return false;
    }
    Planned last = mutations.get(mutations.size() - 1);
    return last.kind() == RecordAppendDecision.Kind.PAD && last.offsetBytes() == paddedLengthBytes;
  }
}
