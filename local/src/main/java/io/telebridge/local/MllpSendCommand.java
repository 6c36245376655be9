package io.telebridge.local;

import static io.telebridge.local.Cli.env;
import static io.telebridge.local.Cli.option;
import static io.telebridge.local.Cli.read;
import static io.telebridge.local.Cli.single;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** {@code mllp-send}: an HL7 v2 file to the bridge's MLLP listener, the ACK printed. */
final class MllpSendCommand {

  private MllpSendCommand() {}

  static int mllpSend(List<String> args, PrintStream out, PrintStream err) {
    String host = option(args, "--host", env("TELEBRIDGE_MLLP_HOST", "127.0.0.1"));
    int port = Integer.parseInt(option(args, "--port",
        env("TELEBRIDGE_MLLP_PORT", Integer.toString(LocalStackOptions.DEFAULT_MLLP_LISTEN_PORT))));
    int timeoutSeconds = Integer.parseInt(option(args, "--timeout", "30"));
    Path file = Path.of(single(args, "mllp-send <file> [--host H] [--port P] [--timeout S]"));
    byte[] payload = hl7Segments(read(file));
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(timeoutSeconds * 1000);
      socket.setTcpNoDelay(true);
      io.telebridge.mllp.frame.MllpFrames.write(socket.getOutputStream(), payload);
      out.println("MLLP -> " + host + ":" + port + " (" + payload.length + " bytes, " + file.getFileName() + ")");
      byte[] ack = new io.telebridge.mllp.frame.MllpReader(socket.getInputStream(), 1 << 20).readFrame();
      if (ack == null) {
        out.println("no ACK: the listener closed the connection without answering (it could not persist the message;"
            + " the sender resends)");
        return 1;
      }
      String text;
      try {
        text = io.telebridge.hl7v2.Hl7Text.decode(ack, StandardCharsets.UTF_8);
      } catch (io.telebridge.hl7v2.UnreadableMessageException e) {
        out.println("(the ACK's bytes are not valid in the charset its MSH-18 names: shown as Latin-1)");
        text = new String(ack, StandardCharsets.ISO_8859_1);
      }
      out.println("ACK <-");
      out.println(text.replace("\r\n", "\n").replace('\r', '\n').stripTrailing());
      String code = io.telebridge.mllp.hl7.RawHl7.looksLikeHl7(text)
          ? io.telebridge.mllp.hl7.RawHl7.of(text).field("MSA", 1).trim() : "";
      return code.equals("AA") || code.equals("CA") ? 0 : 1;
    } catch (ConnectException e) {
      err.println("nothing listens on " + host + ":" + port + ": is the local stack running (./tb local)? "
          + "Its MLLP listener is on port " + LocalStackOptions.DEFAULT_MLLP_LISTEN_PORT + " unless --mllp-port said otherwise");
      return 1;
    } catch (java.net.SocketTimeoutException e) {
      err.println("no ACK within " + timeoutSeconds + " s");
      return 1;
    } catch (IOException e) {
      err.println("MLLP exchange with " + host + ":" + port + " failed: " + e);
      return 1;
    }
  }

  /**
   * The file as an HL7 v2 message for the wire: a UTF-8 byte-order mark and leading blank lines
   * dropped, LF and CRLF segment ends turned into CR, trailing blank lines collapsed into one CR.
   * Other bytes are sent as they are (the file's own encoding; MSH-18 says which).
   */
  static byte[] hl7Segments(byte[] file) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(file.length);
    int i = 0;
    if (file.length >= 3 && (file[0] & 0xff) == 0xEF && (file[1] & 0xff) == 0xBB && (file[2] & 0xff) == 0xBF) {
      i = 3;
    }
    while (i < file.length && (file[i] == '\r' || file[i] == '\n')) {
      i++;
    }
    for (; i < file.length; i++) {
      byte c = file[i];
      if (c == '\r' && i + 1 < file.length && file[i + 1] == '\n') {
        continue; // CRLF: the LF writes the CR
      }
      b.write(c == '\n' ? '\r' : c);
    }
    byte[] out = b.toByteArray();
    int end = out.length;
    while (end > 0 && (out[end - 1] == '\r' || out[end - 1] == ' ' || out[end - 1] == '\t')) {
      end--;
    }
    byte[] trimmed = java.util.Arrays.copyOf(out, end + 1);
    trimmed[end] = '\r';
    return trimmed;
  }
}
