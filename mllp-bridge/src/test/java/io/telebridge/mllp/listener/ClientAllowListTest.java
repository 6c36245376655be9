package io.telebridge.mllp.listener;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientAllowListTest {

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void anEmptyListAllowsEveryAddress() throws Exception {
    assertTrue(ClientAllowList.parse("").allows(ip("203.0.113.9")));
    assertTrue(ClientAllowList.parse(null).allowsAll());
  }

  @Test
  void matchesSingleAddressesAndCidrBlocks() throws Exception {
    ClientAllowList l = ClientAllowList.parse("10.20.0.0/16, 192.0.2.7 2001:db8::/32");
    assertTrue(l.allows(ip("10.20.255.1")));
    assertFalse(l.allows(ip("10.21.0.1")));
    assertTrue(l.allows(ip("192.0.2.7")));
    assertFalse(l.allows(ip("192.0.2.8")));
    assertTrue(l.allows(ip("2001:db8:1::5")));
    assertFalse(l.allows(ip("2001:db9::5")));
  }

  @Test
  void matchesNonOctetPrefixesAndIpv4MappedIpv6() throws Exception {
    ClientAllowList l = ClientAllowList.parse("172.16.0.0/12");
    assertTrue(l.allows(ip("172.31.1.1")));
    assertFalse(l.allows(ip("172.32.0.1")));
    assertTrue(l.allows(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff,
        (byte) 172, 16, 0, 1})));
  }

  @Test
  void refusesHostNamesAndBadPrefixes() {
    assertThrows(IllegalArgumentException.class, () -> ClientAllowList.parse("ehr.example.org"));
    assertThrows(IllegalArgumentException.class, () -> ClientAllowList.parse("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> ClientAllowList.parse("10.0.0.0/x"));
  }
}
