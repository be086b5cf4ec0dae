/**
 * The master's state as plain Java [0046-0096]: the namespace tree with its path lock table, owners, groups and
 * permissions, the chunk table, leases, the chunkserver registry and placement, lazy garbage collection
 * ({@link io.gfs.master.state.GarbageDecisions}, {@link io.gfs.master.state.DeletedNames}), re-replication planning
 * ({@link io.gfs.master.state.ReplicationPlanner}) with rack-aware {@link io.gfs.master.state.Placement} and
 * rebalancing ({@link io.gfs.master.state.Rebalancer}), snapshots with copy-on-write
 * ({@link io.gfs.master.state.SnapshotDecisions}, {@link io.gfs.master.state.SnapshotNames}) and per-directory
 * policies ({@link io.gfs.master.state.Policy}), behind {@link io.gfs.master.state.MasterState}. No Thrift,
 * sockets, files, threads or clock reads (an ArchUnit test enforces it): time comes in as {@code nowMillis},
 * randomness as a {@link java.util.random.RandomGenerator}. Durable changes happen only through
 * {@link io.gfs.master.state.MasterState#apply}, live and on replay alike.
 */
package io.gfs.master.state;
