package io.gfs.client;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/** The names and addresses of this host, to tell a chunkserver on the same machine from the others [0090]. */
final class LocalHosts {
  private LocalHosts() {}

  static Set<String> find() {
    Set<String> hosts = new HashSet<>();
    hosts.add("localhost");
    try {
      InetAddress local = InetAddress.getLocalHost();
      hosts.add(local.getHostName());
      // No getCanonicalHostName(): a reverse lookup can stall for seconds where DNS is slow.
      hosts.add(local.getHostAddress());
    } catch (UnknownHostException e) {
      // No resolvable host name: the interface addresses below still identify this host.
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          String text = address.getHostAddress();
          int zone = text.indexOf('%');
          hosts.add(zone >= 0 ? text.substring(0, zone) : text);
        }
      }
    } catch (SocketException e) {
      // Interfaces cannot be listed: fall back to the names found above.
    }
    return Set.copyOf(hosts);
  }
}
