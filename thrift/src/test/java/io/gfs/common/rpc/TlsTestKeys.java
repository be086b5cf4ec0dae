package io.gfs.common.rpc;

import io.gfs.common.GfsConfigKeys.Rpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away key pair for TLS tests, made with the JDK's keytool at test time (no private key is committed): a
 * PKCS12 key store holding a self-signed certificate for 127.0.0.1 and a trust store holding that certificate.
 */
public record TlsTestKeys(Path keyStore, Path trustStore, String password) {

  public static TlsTestKeys generate(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path keys = dir.resolve("gfs-test-keys.p12");
    Path trust = dir.resolve("gfs-test-trust.p12");
    Path cert = dir.resolve("gfs-test.cer");
    Files.deleteIfExists(keys);
    Files.deleteIfExists(trust);
    Files.deleteIfExists(cert);
    String password = "test-only-" + Long.toHexString(new java.security.SecureRandom().nextLong());
    keytool("-genkeypair", "-alias", "gfs", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=gfs-test", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
        "-keystore", keys.toString(), "-storepass", password, "-keypass", password);
    keytool("-exportcert", "-alias", "gfs", "-keystore", keys.toString(), "-storepass", password,
        "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "gfs", "-file", cert.toString(), "-storetype", "PKCS12",
        "-keystore", trust.toString(), "-storepass", password);
    return new TlsTestKeys(keys, trust, password);
  }

  /** The gfs.rpc.tls.* settings that turn TLS on with these keys. */
  public Map<String, String> settings() {
    return Map.of(Rpc.TLS_ENABLED.name(), "true",
        Rpc.TLS_KEYSTORE_PATH.name(), keyStore.toString(),
        Rpc.TLS_KEYSTORE_PASSWORD.name(), password,
        Rpc.TLS_TRUSTSTORE_PATH.name(), trustStore.toString(),
        Rpc.TLS_TRUSTSTORE_PASSWORD.name(), password);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
