package io.telebridge.local.bench;

import io.telebridge.mllp.frame.MllpFrames;
import io.telebridge.mllp.frame.MllpReader;
import io.telebridge.mllp.hl7.RawHl7;
import io.telebridge.mllp.listener.AcceptInboundFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@link ListenerBench}'s EHR side: the messages, the MLLP client (k connections), and SendMessage alone. */
final class ListenerBenchClient {

  private ListenerBenchClient() {}

  record Result(double rate, List<Long> latencies) {}

  /** Sends every message over {@code connections} sockets (each one at a time) and checks each ACK. */
  static Result send(int port, List<String> messages, int connections) throws Exception {
    List<List<String>> shares = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      shares.add(new ArrayList<>());
    }
    for (int i = 0; i < messages.size(); i++) {
      shares.get(i % connections).add(messages.get(i));
    }
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (List<String> share : shares) {
      threads.add(Thread.ofPlatform().start(() -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
          s.setTcpNoDelay(true);
          s.setSoTimeout(30_000);
          OutputStream out = s.getOutputStream();
          InputStream in = s.getInputStream();
          MllpReader reader = new MllpReader(in, 1 << 20);
          long[] mine = new long[share.size()];
          int n = 0;
          for (String m : share) {
            long t0 = System.nanoTime();
            out.write(MllpFrames.frame(m.getBytes(StandardCharsets.UTF_8)));
            out.flush();
            byte[] ack = reader.readFrame();
            mine[n++] = System.nanoTime() - t0;
            if (ack == null) {
              throw new IOException("connection closed without an ACK");
            }
            RawHl7 a = RawHl7.of(new String(ack, StandardCharsets.UTF_8));
            if (!a.field("MSA", 1).equals("AA") || !a.field("MSA", 2).equals(RawHl7.of(m).controlId())) {
              throw new IOException("unexpected ACK: MSA-1 " + a.field("MSA", 1));
            }
          }
          for (long v : mine) {
            latencies.add(v);
          }
        } catch (Exception e) {
          failures.add(e);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    if (!failures.isEmpty()) {
      throw new IllegalStateException("client failed: " + failures.get(0), failures.get(0));
    }
    return new Result(messages.size() / (elapsed / 1e9), latencies);
  }

  /**
   * The same messages straight to a FIFO queue with the same client (group and dedup as the listener
   * sets them), no MLLP and no HAPI: what one durable write costs, the floor under the listener's latency.
   */
  static Result sendMessageAlone(SqsClient sqs, String queueUrl, List<String> messages, int connections)
      throws InterruptedException {
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      int first = c;
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = first; i < messages.size(); i += connections) {
          String m = messages.get(i);
          RawHl7 raw = RawHl7.of(m);
          long t0 = System.nanoTime();
          sqs.sendMessage(b -> b.queueUrl(queueUrl).messageGroupId(raw.patientIds().isEmpty() ? "g" : raw.patientIds().get(0))
              .messageDeduplicationId(AcceptInboundFrame.deduplicationId(raw.msh(4), raw.controlId())).messageBody(m));
          latencies.add(System.nanoTime() - t0);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return new Result(messages.size() / ((System.nanoTime() - start) / 1e9), latencies);
  }

  /** The template with a fresh MSH-10 per message ({@code <prefix>-<i>}) and MRNs cycling over {@code patients}. */
  static List<String> messages(String template, String controlId, String mrn, String prefix, int count, int patients) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String m = template.replace("|" + controlId + "|", "|" + prefix + "-" + i + "|");
      if (mrn != null) {
        m = m.replace(mrn, mrn + "-" + (i % patients));
      }
      out.add(m);
    }
    return out;
  }

}
