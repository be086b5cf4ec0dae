/**
 * High availability of the master (issue 4): the elected term and its fencing epoch ({@link io.gfs.master.ha.MasterTerm}),
 * and the election that opens a term ({@link io.gfs.master.ha.ActiveElection}). The rest of the master touches this
 * package only through small hooks: MasterServer waits for a term before it recovers and serves, the Journal refuses
 * commits once the term is revoked, and every instruction to a chunkserver carries the term's epoch.
 */
package io.gfs.master.ha;
