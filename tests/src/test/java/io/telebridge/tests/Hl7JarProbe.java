package io.telebridge.tests;

import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Structure;
import io.telebridge.hl7v2.Hl7Context;
import io.telebridge.hl7v2.Hl7Text;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Runs in a fresh JVM with a translator's deployable jar alone on the classpath (and this class): spawned by
 * {@link FunctionJarsIT}, which runs the same {@link #describe} in its own JVM (every HAPI v2.5.1 structure on
 * the classpath) and requires the same lines. The jars leave out the v2.5.1 message structures and groups no
 * translator builds or reads into (shade filters in their poms); HAPI looks a structure up by name and parses a
 * message whose structure is missing as a {@code GenericMessage}, so a structure left out by mistake shows here
 * as another class name or another encoding, not as an error.
 *
 * <pre>
 *   java -cp from-ehr-translator.jar:test-classes io.telebridge.tests.Hl7JarProbe build=ADT_A01,... FILE...
 * </pre>
 * Per file (a fixture, or a synthetic message of one accepted type): {@code HL7PROBE <file> <parser> <class>
 * <sha-256 of the encoding>} (or the exception's class) for the inbound and the outbound parser. Per
 * {@code build=} structure: the structure constructed with every group below it instantiated. {@code matcher}: the
 * patient matcher's string comparators (the jars keep only the parts of commons-text and commons-codec they use).
 */
public final class Hl7JarProbe {

  private Hl7JarProbe() {}

  public static void main(String[] args) throws Exception {
    for (String line : describe(List.of(args))) {
      System.out.println(line);
    }
  }

  /** What this JVM's HAPI makes of each message (and each structure to build). */
  public static List<String> describe(List<String> args) throws Exception {
    List<String> out = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("matcher")) { // the matcher's string comparators, from the commons-text/codec parts the jar keeps
        out.add("HL7PROBE matcher " + new org.apache.commons.text.similarity.JaroWinklerSimilarity().apply("MARTHA", "MARHTA")
            + " " + new org.apache.commons.codec.language.DoubleMetaphone().doubleMetaphone("Schmidt", true));
        continue;
      }
      if (arg.startsWith("build=")) {
        for (String structure : arg.substring(6).split(",")) {
          Message m = (Message) Class.forName("ca.uhn.hl7v2.model.v251.message." + structure)
              .getConstructor().newInstance();
          m.setParser(Hl7Context.outboundParser());
          out.add("HL7PROBE built " + structure + " groups " + groups(m));
        }
        continue;
      }
      Path file = Path.of(arg);
      String text = Hl7Text.normalize(Files.readString(file, StandardCharsets.ISO_8859_1));
      out.add("HL7PROBE " + file.getFileName() + " inbound " + parsed(text, true));
      out.add("HL7PROBE " + file.getFileName() + " outbound " + parsed(text, false));
    }
    return out;
  }

  private static String parsed(String text, boolean inbound) {
    try {
      var parser = inbound ? Hl7Context.inboundParser() : Hl7Context.outboundParser();
      Message m = parser.parse(text);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(parser.encode(m).getBytes(StandardCharsets.UTF_8));
      return m.getClass().getName() + " " + m.getName() + " " + HexFormat.of().formatHex(digest);
    } catch (Exception | LinkageError e) {
      return "failed " + e.getClass().getName();
    }
  }

  /** Instantiates every group below {@code g} (each repetition 0); returns how many. */
  private static int groups(Group g) throws Exception {
    int n = 0;
    for (String name : g.getNames()) {
      if (Group.class.isAssignableFrom(g.getClass(name))) {
        Structure child = g.get(name);
        n += 1 + groups((Group) child);
      }
    }
    return n;
  }
}
