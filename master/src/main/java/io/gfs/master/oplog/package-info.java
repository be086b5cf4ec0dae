/**
 * The master's durable metadata [0050-0054]: the operation log (CRC-framed records in segments, one writer thread
 * with group commit), checkpoints (whole-file CRC, written to .tmp then renamed), restart recovery (newest good
 * checkpoint plus later segments, torn tail truncated) and retention.
 */
package io.gfs.master.oplog;
