package io.telebridge.mllp.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MllpReaderTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static MllpReader reader(byte[] data, int max) {
    return new MllpReader(new ByteArrayInputStream(data), max);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void readsOneFrameWithoutItsBlockCharacters() throws IOException {
    MllpReader r = reader(MllpFrames.frame(bytes("MSH|^~\\&|A\rPID|1\r")), 1024);
    assertArrayEquals(bytes("MSH|^~\\&|A\rPID|1\r"), r.readFrame());
    assertNull(r.readFrame());
  }

  @Test
  void readsFramesBackToBackInOrder() throws IOException {
    MllpReader r = reader(concat(MllpFrames.frame(bytes("one")), MllpFrames.frame(bytes("two"))), 1024);
    assertArrayEquals(bytes("one"), r.readFrame());
    assertArrayEquals(bytes("two"), r.readFrame());
    assertNull(r.readFrame());
  }

  @Test
  void keepsEmbeddedCarriageReturnsAndLineFeedsAsPayload() throws IOException {
    byte[] payload = bytes("MSH|x\rEVN|y\r\nPID|z\n\r");
    assertArrayEquals(payload, reader(MllpFrames.frame(payload), 1024).readFrame());
  }

  @Test
  void skipsGarbageBeforeTheStartBlockAndCountsIt() throws IOException {
    MllpReader r = reader(concat(bytes("noise\r\n"), MllpFrames.frame(bytes("msg")), bytes("xx"),
        MllpFrames.frame(bytes("next"))), 1024);
    assertArrayEquals(bytes("msg"), r.readFrame());
    assertArrayEquals(bytes("next"), r.readFrame());
    assertEquals(9, r.skippedBytes());
  }

  @Test
  void treatsEndOfStreamBetweenFramesAsACleanClose() throws IOException {
    assertNull(reader(new byte[0], 1024).readFrame());
    assertNull(reader(bytes("trailing garbage"), 1024).readFrame());
  }

  @Test
  void failsWhenTheStreamEndsInsideAFrame() {
    byte[] truncated = concat(new byte[] {MllpFrames.START_BLOCK}, bytes("MSH|no end"));
    MllpFramingException e = assertThrows(MllpFramingException.class, () -> reader(truncated, 1024).readFrame());
    assertTrue(e.getMessage().contains("no end block"));
  }

  @Test
  void failsWhenTheEndBlockIsNotFollowedByCarriageReturn() {
    byte[] bad = concat(new byte[] {MllpFrames.START_BLOCK}, bytes("msg"), new byte[] {MllpFrames.END_BLOCK, 'x'});
    assertThrows(MllpFramingException.class, () -> reader(bad, 1024).readFrame());
    byte[] cut = concat(new byte[] {MllpFrames.START_BLOCK}, bytes("msg"), new byte[] {MllpFrames.END_BLOCK});
    assertThrows(MllpFramingException.class, () -> reader(cut, 1024).readFrame());
  }

  @Test
  void failsOnAStartBlockInsideAFrame() {
    byte[] bad = concat(new byte[] {MllpFrames.START_BLOCK}, bytes("first"), MllpFrames.frame(bytes("second")));
    assertThrows(MllpFramingException.class, () -> reader(bad, 1024).readFrame());
  }

  @Test
  void acceptsAFrameOfExactlyTheMaximumSize() throws IOException {
    byte[] payload = new byte[100];
    java.util.Arrays.fill(payload, (byte) 'a');
    assertEquals(100, reader(MllpFrames.frame(payload), 100).readFrame().length);
  }

  @Test
  void refusesAFrameOverTheMaximumSizeWithoutBufferingItAll() {
    byte[] payload = new byte[101];
    java.util.Arrays.fill(payload, (byte) 'a');
    MllpFramingException e = assertThrows(MllpFramingException.class,
        () -> reader(MllpFrames.frame(payload), 100).readFrame());
    assertTrue(e.getMessage().contains("maximum of 100 bytes"));
  }

  @Test
  void reassemblesAFrameDeliveredOneByteAtATime() throws IOException {
    byte[] payload = bytes("MSH|^~\\&|SLOW\rPID|1\r");
    InputStream trickle = new ByteArrayInputStream(concat(bytes("zz"), MllpFrames.frame(payload))) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(1, len));
      }
    };
    MllpReader r = new MllpReader(trickle, 1024);
    assertArrayEquals(payload, r.readFrame());
    assertFalse(r.hasBuffered());
  }

  @Test
  void readsLargeFramesAcrossManyBufferFills() throws IOException {
    byte[] payload = new byte[200_000];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) ('A' + i % 26);
    }
    assertArrayEquals(payload, reader(MllpFrames.frame(payload), 1 << 20).readFrame());
  }

  @Test
  void keepsBytesReadPastAFrameForTheNextOne() throws IOException {
    MllpReader r = reader(concat(MllpFrames.frame(bytes("a")), MllpFrames.frame(bytes("b"))), 1024);
    r.readFrame();
    assertTrue(r.hasBuffered());
  }

  @Test
  void keepsUtf8BytesIntact() throws IOException {
    byte[] payload = "MSH|^~\\&|Ünïcødé|日本\r".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(payload, reader(MllpFrames.frame(payload), 1024).readFrame());
  }

  @Test
  void withResyncAnOversizeFrameIsSkippedToItsEndBlockAndTheNextFrameIsRead() throws IOException {
    byte[] big = new byte[5000];
    java.util.Arrays.fill(big, (byte) 'x');
    System.arraycopy(bytes("MSH|^~\\&|"), 0, big, 0, 9);
    MllpReader r = new MllpReader(new ByteArrayInputStream(concat(MllpFrames.frame(big), MllpFrames.frame(bytes("next")))),
        100, true);
    OversizeFrameException e = assertThrows(OversizeFrameException.class, r::readFrame);
    assertTrue(e.resynced());
    assertEquals(5000, e.frameBytes());
    assertEquals(100, e.head().length);
    assertArrayEquals(java.util.Arrays.copyOf(big, 100), e.head());
    assertFalse(e.getMessage().contains("MSH"), "no payload in the message");
    assertArrayEquals(bytes("next"), r.readFrame());
    assertNull(r.readFrame());
  }

  @Test
  void withResyncAnOversizeFrameWithoutEndBlockIsOutOfStep() {
    byte[] big = new byte[500];
    java.util.Arrays.fill(big, (byte) 'y');
    MllpReader r = new MllpReader(new ByteArrayInputStream(concat(new byte[] {MllpFrames.START_BLOCK}, big)), 100, true);
    OversizeFrameException e = assertThrows(OversizeFrameException.class, r::readFrame);
    assertFalse(e.resynced());
  }

  @Test
  void withResyncAStartBlockInsideTheOversizeFrameLeavesTheNextFrameReadable() throws IOException {
    byte[] big = new byte[300];
    java.util.Arrays.fill(big, (byte) 'z');
    MllpReader r = new MllpReader(new ByteArrayInputStream(concat(new byte[] {MllpFrames.START_BLOCK}, big,
        MllpFrames.frame(bytes("after")))), 100, true);
    OversizeFrameException e = assertThrows(OversizeFrameException.class, r::readFrame);
    assertFalse(e.resynced());
    assertArrayEquals(bytes("after"), r.readFrame());
  }

  @Test
  void refusesMoreGarbageBeforeAStartBlockThanTheLimit() throws IOException {
    byte[] garbage = new byte[5000];
    java.util.Arrays.fill(garbage, (byte) 'x');
    MllpReader r = new MllpReader(new ByteArrayInputStream(concat(garbage, MllpFrames.frame(bytes("late")))), 1024, false,
        4096, MllpReader.FrameClock.NONE);
    MllpFramingException e = assertThrows(MllpFramingException.class, r::readFrame);
    assertTrue(e.getMessage().contains("4096"), e.getMessage());
    MllpReader within = new MllpReader(new ByteArrayInputStream(concat(garbage, MllpFrames.frame(bytes("ok")))), 1024, false,
        8192, MllpReader.FrameClock.NONE);
    assertArrayEquals(bytes("ok"), within.readFrame());
  }

  @Test
  void tellsItsClockWhenAFrameStartsAndWhenItIsComplete() throws IOException {
    java.util.List<String> events = new java.util.ArrayList<>();
    MllpReader r = new MllpReader(new ByteArrayInputStream(concat(bytes("\n"), MllpFrames.frame(bytes("a")))), 1024, false,
        16, new MllpReader.FrameClock() {
          @Override
          public void started() {
            events.add("started");
          }

          @Override
          public void ended() {
            events.add("ended");
          }
        });
    assertArrayEquals(bytes("a"), r.readFrame());
    assertNull(r.readFrame());
    assertEquals(java.util.List.of("started", "ended"), events, "from the first byte (even before VT) to FS CR; none at the end");
  }
}
