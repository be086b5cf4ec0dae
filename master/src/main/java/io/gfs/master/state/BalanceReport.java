package io.gfs.master.state;

/**
 * The balancer's switch and what it works on [0073-0074]: the utilisation of the fullest minus the emptiest live
 * in-service chunkserver, the spread it tolerates, and its moves in flight.
 */
public record BalanceReport(boolean enabled, double utilizationSpread, double threshold, int movesInFlight) {
  /** Nothing left to move: the spread is within the threshold and no move runs. */
  public boolean balanced() {
    return utilizationSpread <= threshold && movesInFlight == 0;
  }
}
