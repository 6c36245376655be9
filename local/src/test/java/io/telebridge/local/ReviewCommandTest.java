package io.telebridge.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The review command's arguments and its table, without a server (the API itself: tests/ ReviewApiIT). */
class ReviewCommandTest {

  private static int run(ByteArrayOutputStream err, String... args) {
    return Cli.run(args, new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true));
  }

  @Test
  void refusesWrongArgumentsWithTheUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(2, run(err, "review"));
    assertEquals(2, run(err, "review", "link", "rc-1"));
    assertEquals(2, run(err, "review", "list", "--demographics"));
    assertEquals(2, run(err, "review", "approve", "rc-1"));
    assertEquals(2, run(err, "review", "show", "rc-1", "--resolved-by", "me"));
    assertEquals(2, run(err, "review", "show", "rc-1", "--tenant", "acme"), "a case is addressed by its id alone");
    assertTrue(err.toString().contains("review list [--tenant T]|show <caseId>"), err.toString());
  }

  @Test
  void saysWhenNothingAnswersLocally() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(1, run(err, "review", "list", "--url", "http://127.0.0.1:9"));
    assertTrue(err.toString().contains("is the local stack running"), err.toString());
  }

  @Test
  void printsOneRowPerCaseAndOneLinePerCandidate() {
    String body = """
        {"tenant":"acme","cases":[{"caseId":"rc-1","tenant":"acme","platformPatientId":"pp-1","firstEventId":"evt-1",
         "status":"OPEN","reason":"possible_match","score":7.5,"createdAt":"2026-11-25T17:00:00.123Z",
         "candidates":[{"personId":"ehr:acme:HOSP:M1","score":7.5,"agreed":["given","surname","dob"],
         "disagreed":["phone"],"missing":[],"guards":[]}],"replayed":0}]}""";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ReviewCommand.printTable(JsonMapper.builder().build().readTree(body), new PrintStream(out, true));
    String[] lines = out.toString().split("\n");
    assertTrue(lines[0].startsWith("CASE"));
    assertTrue(lines[1].startsWith("rc-1") && lines[1].contains("possible_match") && lines[1].contains("7.50")
        && lines[1].contains("2026-11-25T17:00:00Z") && lines[1].contains("pp-1"), lines[1]);
    assertTrue(lines[2].contains("candidate ehr:acme:HOSP:M1") && lines[2].contains("agreed: given,surname,dob")
        && lines[2].contains("missing: -"), lines[2]);
  }

  @Test
  void findsTheRegionOfAnExecuteApiUrlAndTheLocalOrigin() {
    assertEquals("eu-west-1", ReviewClient.regionOf(URI.create("https://abc123.execute-api.eu-west-1.amazonaws.com")));
    assertEquals(null, ReviewClient.regionOf(URI.create("http://127.0.0.1:3000")));
    assertEquals("http://127.0.0.1:3000", ReviewCommand.origin("http://127.0.0.1:3000/v1/events"));
  }
}
