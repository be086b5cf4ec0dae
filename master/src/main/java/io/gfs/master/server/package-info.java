/**
 * The master process's shell: the Thrift handler (locks, decide, log, apply, reply), the lease grant protocol that
 * calls chunkservers, the journal that ties state to log and cuts checkpoints, timers, the canonical-name
 * registration, and {@link io.gfs.master.server.MasterServer}'s lifecycle.
 */
package io.gfs.master.server;
