package io.telebridge.mllp.listener;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which client addresses may connect to the listener: a comma-separated list of IPv4 / IPv6
 * addresses and CIDR blocks ({@code 10.20.0.0/16, 192.0.2.7, 2001:db8::/32}). Empty = every
 * address (the network — security group, NLB — is then the only gate). IPv4-mapped IPv6 addresses
 * are compared as IPv4. Literals only: host names are refused (no DNS at accept time).
 */
public final class ClientAllowList {

  private record Block(byte[] network, int prefix, String text) {}

  private final List<Block> blocks;

  private ClientAllowList(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  public static ClientAllowList any() {
    return new ClientAllowList(List.of());
  }

  /** @throws IllegalArgumentException naming the first entry that is not an address or CIDR */
  public static ClientAllowList parse(String spec) {
    List<Block> out = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return new ClientAllowList(out);
    }
    for (String raw : spec.split("[,\\s]+")) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int slash = entry.indexOf('/');
      String address = slash < 0 ? entry : entry.substring(0, slash);
      byte[] bytes = literal(address);
      if (bytes == null) {
        throw new IllegalArgumentException("not an IP address or CIDR block: '" + entry + "'");
      }
      int prefix = bytes.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad prefix length in '" + entry + "'");
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
          throw new IllegalArgumentException("prefix length out of range in '" + entry + "'");
        }
      }
      out.add(new Block(bytes, prefix, entry.toLowerCase(Locale.ROOT)));
    }
    return new ClientAllowList(out);
  }

  /** Whether every address is allowed (the list is empty). */
  public boolean allowsAll() {
    return blocks.isEmpty();
  }

  /** Whether an entry matches every address of its family ({@code 0.0.0.0/0}, {@code ::/0}). */
  public boolean hasCatchAll() {
    return blocks.stream().anyMatch(b -> b.prefix() == 0);
  }

  public boolean allows(InetAddress address) {
    if (blocks.isEmpty()) {
      return true;
    }
    byte[] a = normalise(address.getAddress());
    for (Block b : blocks) {
      if (b.network().length == a.length && matches(b.network(), a, b.prefix())) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(byte[] network, byte[] address, int prefix) {
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (network[i] != address[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (network[full] & mask) == (address[full] & mask);
  }

  /** The address bytes of an IP literal (IPv4-mapped IPv6 as IPv4), or null when it is not a literal. */
  private static byte[] literal(String s) {
    if (s.isEmpty() || !(s.indexOf(':') >= 0 || s.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch)))) {
      return null; // no host names: InetAddress.getByName would ask DNS
    }
    try {
      InetAddress a = InetAddress.getByName(s);
      if (!(a instanceof Inet4Address) && !(a instanceof Inet6Address)) {
        return null;
      }
      return normalise(a.getAddress());
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static byte[] normalise(byte[] a) {
    if (a.length == 16) {
      boolean mapped = a[10] == (byte) 0xff && a[11] == (byte) 0xff;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = a[i] == 0;
      }
      if (mapped) {
        return new byte[] {a[12], a[13], a[14], a[15]};
      }
    }
    return a;
  }

  @Override
  public String toString() {
    return blocks.isEmpty() ? "any" : String.join(",", blocks.stream().map(Block::text).toList());
  }
}
