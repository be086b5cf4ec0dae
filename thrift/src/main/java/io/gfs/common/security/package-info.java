/**
 * Security shared by master, chunkservers and clients (issue 7): the caller identity that travels with every master
 * call ({@link io.gfs.common.security.Caller}, {@link io.gfs.common.security.CallerEnvelope}) and chunk access tokens:
 * signed, expiring grants naming chunk handles and access modes ({@link io.gfs.common.security.AccessToken}), the keys
 * they are signed with ({@link io.gfs.common.security.AccessKey}), the master's key schedule
 * ({@link io.gfs.common.security.AccessKeySchedule}) and the chunkservers' verifier
 * ({@link io.gfs.common.security.TokenVerifier}). Everything but the envelope is pure: time comes in as nowMillis,
 * randomness as a generator.
 */
package io.gfs.common.security;
