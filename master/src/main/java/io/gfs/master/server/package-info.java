/**
 * The master process's shell: the Thrift handler (locks, decide, log, apply, reply), the lease grant protocol that
 * calls chunkservers, the journal that ties state to log and cuts checkpoints, timers (dead chunkservers, the
 * garbage-collection scan in {@link io.gfs.master.server.GarbageCollector}, re-replication and rebalancing clones sent by
 * {@link io.gfs.master.server.Replicator}, access times from reads batched by {@link io.gfs.master.server.AccessTimes}),
 * snapshots and their copy-on-write RPCs ({@link io.gfs.master.server.SnapshotService}), the canonical-name
 * registration, and
 * {@link io.gfs.master.server.MasterServer}'s lifecycle.
 */
package io.gfs.master.server;
