package io.gfs.common.rpc;

import io.gfs.common.ConfigException;
import io.gfs.common.GfsConfig;
import io.gfs.common.GfsConfigKeys.Rpc;
import io.gfs.common.HostPort;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Transport security of every Thrift port and every outgoing call: off (plain TCP, the default) or TLS from a key
 * store (this process's key and certificate, needed by servers) and a trust store (the certificates peers must
 * present; empty means the JDK's default trust). Peers are authenticated by their certificate's chain to the trust
 * store, not by host name: gfs addresses are often bare IP addresses handed out by the master. With client
 * authentication on, servers also require a client certificate the trust store vouches for (mutual TLS).
 */
public final class RpcTls {
  /** Protocol versions offered; older ones have known weaknesses. */
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  public static final RpcTls OFF = new RpcTls(null, false);

  private final SSLContext context;
  private final boolean clientAuth;

  private RpcTls(SSLContext context, boolean clientAuth) {
    this.context = context;
    this.clientAuth = clientAuth;
  }

  /** From the gfs.rpc.tls.* keys; a key or trust store that cannot be read is a configuration error, at startup. */
  public static RpcTls from(GfsConfig config) {
    if (!config.getBoolean(Rpc.TLS_ENABLED)) {
      return OFF;
    }
    try {
      KeyManagerFactory keys = null;
      if (config.isSet(Rpc.TLS_KEYSTORE_PATH)) {
        char[] password = config.getString(Rpc.TLS_KEYSTORE_PASSWORD).toCharArray();
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(config, Rpc.TLS_KEYSTORE_PATH, password), password);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (config.isSet(Rpc.TLS_TRUSTSTORE_PATH)) {
        char[] password = config.getString(Rpc.TLS_TRUSTSTORE_PASSWORD).toCharArray();
        trust.init(load(config, Rpc.TLS_TRUSTSTORE_PATH, password));
      } else {
        trust.init((KeyStore) null); // the JDK's default trust store
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return new RpcTls(context, config.getBoolean(Rpc.TLS_CLIENT_AUTH));
    } catch (GeneralSecurityException e) {
      throw new ConfigException("gfs.rpc.tls.*: cannot set up TLS: " + e);
    }
  }

  private static KeyStore load(GfsConfig config, io.gfs.common.ConfigKey key, char[] password) {
    String path = config.getString(key);
    try {
      // Detects PKCS12 and JKS alike.
      return KeyStore.getInstance(new File(path), password);
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("key '" + key.name() + "': cannot read the store " + path + ": " + e.getMessage());
    }
  }

  public boolean enabled() {
    return context != null;
  }

  /** A server-side engine for one accepted connection. */
  SSLEngine serverEngine() {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(PROTOCOLS);
    engine.setNeedClientAuth(clientAuth);
    return engine;
  }

  /** A connected client socket with the handshake done, or an IOException naming the peer. */
  SSLSocket connect(HostPort address, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
    try {
      socket.setEnabledProtocols(PROTOCOLS);
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(address.host(), address.port()), connectTimeoutMillis);
      socket.setSoTimeout(readTimeoutMillis);
      socket.startHandshake();
      return socket;
    } catch (IOException e) {
      socket.close();
      throw new IOException("TLS connection to " + address + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return enabled() ? (clientAuth ? "TLS with client certificates" : "TLS") : "plain TCP";
  }
}
