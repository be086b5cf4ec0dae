/**
 * What masters and clients share for high availability (issue 4) beyond ZooKeeper itself: request ids that make a
 * retried non-idempotent master call recognisable to the master's retry cache.
 */
package io.gfs.ha;
