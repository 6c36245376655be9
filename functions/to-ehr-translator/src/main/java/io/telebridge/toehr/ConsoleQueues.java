package io.telebridge.toehr;

import static io.telebridge.toehr.ConsoleHtml.csrfField;
import static io.telebridge.toehr.ConsoleHtml.esc;
import static io.telebridge.toehr.ConsoleHtml.url;
import static io.telebridge.toehr.ConsoleRequest.ID;
import static io.telebridge.toehr.ConsoleRequest.notFound;
import static io.telebridge.toehr.ConsoleRequest.redirect;

import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.aws.SqsQueues;
import io.telebridge.core.journal.JournalFigures;
import io.telebridge.toehr.ConsoleRequest.Refused;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The console's queue pages: every queue's figures, one dead-letter queue's messages (redacted), one
 * message's body on request (access-logged), and the redrive of all or the selected messages (never one
 * before an earlier message of its patient's group). The queues are {@link SqsQueues} ({@code ./tb
 * peek/redrive} use it too).
 */
final class ConsoleQueues {

  private static final System.Logger LOG = System.getLogger(ConsoleQueues.class.getName());
  private static final Pattern SQS_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final int PEEK = 50;
  private static final int PEEK_OLDEST = 10;

  /** A queue and its dead-letter queue as the console lists them ({@code CONSOLE_QUEUES}). */
  record QueuePair(String label, String queueUrl, String deadLetterUrl) {}

  private final SqsQueues queues;
  private final List<QueuePair> pairs;
  private final JournalFigures figures; // null: no journal (the oldest queued is unknown)

  ConsoleQueues(SqsQueues queues, List<QueuePair> pairs, JournalFigures figures) {
    this.queues = queues;
    this.pairs = List.copyOf(pairs);
    this.figures = figures;
  }

  List<QueuePair> pairs() {
    return pairs;
  }

  /** Visible plus in flight (SQS's approximate figures, every tenant's). */
  long depth(String url) {
    SqsQueues.Figures f = queues.figures(url);
    return f.visible() + f.inFlight();
  }

  /** {@code label=queueUrl|deadLetterUrl;…}; either URL may be empty (a holding queue such as the quarantine). */
  static List<QueuePair> parseQueues(String spec) {
    List<QueuePair> out = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String entry : spec.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      int bar = entry.indexOf('|');
      if (eq <= 0 || bar < eq) {
        throw new IllegalStateException("CONSOLE_QUEUES: '" + entry + "' is not label=queueUrl|deadLetterUrl");
      }
      String queue = entry.substring(eq + 1, bar).strip();
      String dlq = entry.substring(bar + 1).strip();
      out.add(new QueuePair(entry.substring(0, eq).strip(), queue.isEmpty() ? null : queue, dlq.isEmpty() ? null : dlq));
    }
    return out;
  }

  HttpApiResponse route(ConsoleRequest r, List<String> p, boolean get) {
    if (p.size() == 1 && get) {
      return queuesPage(r);
    }
    QueuePair pair = p.size() >= 2 ? pair(p.get(1)) : null;
    if (p.size() == 2 && get) {
      return deadLetterPage(r, pair);
    }
    if (p.size() == 4 && get && p.get(2).equals("messages")) {
      return messagePage(r, pair, p.get(3));
    }
    if (p.size() == 3 && !get && p.get(2).equals("redrive")) {
      return redrive(r, pair);
    }
    return notFound();
  }

  private HttpApiResponse queuesPage(ConsoleRequest r) {
    return r.page("queues", "Queues", new StringBuilder(queueTable(r)).append(
        "<p id=\"queues-note\">Depths and DLQ counts are SQS's approximate figures (all tenants). SQS gives the age"
        + " of a live queue's oldest message only as the CloudWatch metric ApproximateAgeOfOldestMessage (all tenants,"
        + " on the dashboard); <em>oldest queued</em> here is from the journal: the oldest of your tenants' messages"
        + " queued in the last 24 h that no later step has taken further. It is <em>unknown</em> when the queue holds"
        + " messages but the journal shows none of yours waiting (queued earlier, another tenant's, or a step that"
        + " failed to journal), and <em>—</em> when the queue is empty. A dead-letter queue's oldest is that of the"
        + " oldest message seen in its first " + PEEK_OLDEST + " (\u2265 when it holds more).</p>"));
  }

  String queueTable(ConsoleRequest r) {
    StringBuilder b = new StringBuilder("<table id=\"queues\"><tr><th>Queue</th><th>Visible</th><th>In flight</th>"
        + "<th>Oldest queued (journal, your tenants)</th><th>Dead-letter queue</th><th>DLQ messages</th>"
        + "<th>Oldest in DLQ</th></tr>");
    Instant now = Instant.now();
    Map<String, Instant> oldestQueued = new HashMap<>();
    boolean known = figures != null;
    if (known) {
      for (String t : r.tenants()) {
        JournalFigures.Figures f = figures.of(t);
        known &= f.complete();
        f.oldestQueued().forEach((queue, at) -> oldestQueued.merge(queue, at, (a, c) -> a.isBefore(c) ? a : c));
      }
    }
    for (QueuePair q : pairs) {
      b.append("<tr id=\"queue-").append(esc(q.label())).append("\"><td>").append(esc(q.label())).append("</td>");
      if (q.queueUrl() != null) {
        SqsQueues.Figures f = queues.figures(q.queueUrl());
        Instant since = oldestQueued.get(q.label());
        String oldest = f.visible() + f.inFlight() == 0 ? "—"
            : known && since != null ? age(Duration.between(since, now)) : "unknown";
        b.append("<td class=\"num\">").append(f.visible()).append("</td><td class=\"num\">").append(f.inFlight())
            .append("</td><td class=\"oldest\">").append(esc(oldest)).append("</td>");
      } else {
        b.append("<td>—</td><td>—</td><td>—</td>");
      }
      if (q.deadLetterUrl() != null) {
        SqsQueues.Figures f = queues.figures(q.deadLetterUrl());
        long count = f.visible() + f.inFlight();
        String oldest = "—";
        if (f.visible() > 0) {
          Instant first = null;
          List<Message> seen = queues.peek(q.deadLetterUrl(), PEEK_OLDEST);
          for (Message m : seen) {
            Instant sent = SqsQueues.sentAt(m);
            first = first == null || sent != null && sent.isBefore(first) ? sent : first;
          }
          // more than was looked at: the oldest seen is a lower bound
          oldest = first == null ? "unknown" : (count > seen.size() ? "\u2265 " : "") + age(Duration.between(first, now));
        }
        b.append("<td><a href=\"/console/queues/").append(url(q.label())).append("\">").append(esc(f.name()))
            .append("</a></td><td class=\"num dlq-count\">").append(count).append("</td><td>").append(esc(oldest))
            .append("</td>");
      } else {
        b.append("<td>—</td><td>—</td><td>—</td>");
      }
      b.append("</tr>");
    }
    return b.append("</table>").toString();
  }

  private HttpApiResponse deadLetterPage(ConsoleRequest r, QueuePair q) {
    List<Message> seen = mine(r, queues.peek(q.deadLetterUrl(), PEEK));
    StringBuilder b = new StringBuilder();
    b.append("<p>").append(esc(SqsQueues.nameOf(q.deadLetterUrl()))).append(": ").append(seen.size())
        .append(" message(s) of your tenants (first ").append(PEEK).append(" looked at). Bodies are hidden;")
        .append(" <em>show</em> opens one and is logged.</p>");
    b.append("<form method=\"post\" action=\"/console/queues/").append(url(q.label())).append("/redrive\" id=\"redrive-form\">")
        .append(csrfField(r.csrf()));
    b.append("<table id=\"messages\"><tr><th></th><th>Message</th><th>Tenant</th><th>Group</th><th>First sent</th>"
        + "<th>Receives</th><th>Attributes</th><th>Body</th><th>Replay</th></tr>");
    for (Message m : seen) {
      Map<String, String> a = m.attributesAsStrings();
      Instant sent = SqsQueues.sentAt(m);
      b.append("<tr class=\"dlq-message\"><td><input type=\"checkbox\" name=\"message\" value=\"").append(esc(m.messageId()))
          .append("\"></td><td>").append(esc(m.messageId())).append("</td><td>").append(esc(SqsQueues.tenantOf(m)))
          .append("</td><td>").append(esc(a.get("MessageGroupId"))).append("</td><td>").append(esc(sent))
          .append("</td><td class=\"num\">").append(esc(a.get("ApproximateReceiveCount"))).append("</td><td>");
      for (Map.Entry<String, MessageAttributeValue> e : new java.util.TreeMap<>(m.messageAttributes()).entrySet()) {
        b.append(esc(e.getKey())).append('=').append(esc(e.getValue().stringValue())).append("<br>");
      }
      b.append("</td><td><span class=\"redacted\">").append(m.body().length()).append(" chars, redacted</span> <a href=\"/console/queues/")
          .append(url(q.label())).append("/messages/").append(url(m.messageId())).append("?show=body\">show</a></td><td>");
      String id = replayId(m);
      if (id != null) {
        b.append("<button type=\"submit\" formaction=\"/console/replays\" name=\"id\" value=\"").append(esc(id))
            .append("\">replay ").append(esc(id)).append("</button>");
      }
      b.append("</td></tr>");
    }
    b.append("</table>");
    if (q.queueUrl() != null) {
      b.append("<button type=\"submit\" name=\"scope\" value=\"selected\" id=\"redrive-selected\">Redrive selected</button> ")
          .append("<button type=\"submit\" name=\"scope\" value=\"all\" id=\"redrive-all\">Redrive all of my tenants'</button>")
          .append(" to ").append(esc(SqsQueues.nameOf(q.queueUrl())));
    } else {
      b.append("<p>This queue holds messages for a person to look at; it has no queue to redrive to.</p>");
    }
    b.append("</form>");
    return r.page("queues", "Dead letters: " + q.label(), b);
  }

  private HttpApiResponse messagePage(ConsoleRequest r, QueuePair q, String messageId) {
    if (!SQS_ID.matcher(messageId).matches() || !"body".equals(r.q("show"))) {
      return notFound();
    }
    Message found = null;
    for (Message m : mine(r, queues.peek(q.deadLetterUrl(), PEEK))) {
      if (m.messageId().equals(messageId)) {
        found = m;
      }
    }
    if (found == null) {
      throw new Refused(404, "no such message of your tenants in the first " + PEEK + " of this queue");
    }
    // PHI, on explicit request only: the access is logged with who and which message, nothing else
    LOG.log(Level.INFO, "console body access queue={0} message={1} tenant={2} caller={3}", q.label(), messageId,
        SqsQueues.tenantOf(found), r.caller());
    String body = found.body().replace("\r\n", "\n").replace('\r', '\n');
    return r.page("queues", "Message " + messageId, new StringBuilder("<p>Shown on request; this access is logged.</p><pre id=\"body\">")
        .append(esc(body)).append("</pre><p><a href=\"/console/queues/").append(url(q.label())).append("\">back</a></p>"));
  }

  private HttpApiResponse redrive(ConsoleRequest r, QueuePair q) {
    if (q.queueUrl() == null) {
      throw new Refused(400, "this queue has no queue to redrive to");
    }
    String scope = r.f("scope");
    Set<String> chosen = new HashSet<>(r.form().getOrDefault("message", List.of()));
    if (!"all".equals(scope) && chosen.isEmpty()) {
      return redirect("/console/queues/" + url(q.label()), null, "select at least one message, or redrive all");
    }
    Set<String> tenants = r.tenants();
    boolean all = "all".equals(scope);
    // per-patient order: a message stays when an earlier one of its group stays (FIFO receives in group order)
    Set<String> held = new HashSet<>();
    int[] heldBack = {0};
    List<SqsQueues.Moved> moved = queues.redrive(q.deadLetterUrl(), q.queueUrl(), m -> {
      String group = m.attributesAsStrings().getOrDefault("MessageGroupId", "");
      boolean wanted = mayAct(tenants, m) && (all || chosen.contains(m.messageId()));
      if (!group.isEmpty() && held.contains(group)) {
        heldBack[0] += wanted ? 1 : 0;
        return false;
      }
      if (!wanted && !group.isEmpty()) {
        held.add(group);
      }
      return wanted;
    }, Integer.MAX_VALUE);
    for (SqsQueues.Moved m : moved) {
      LOG.log(Level.INFO, "console redrive queue={0} message={1} new={2} caller={3}", q.label(),
          m.deadLetterMessageId(), m.newMessageId(), r.caller());
    }
    return redirect("/console/queues/" + url(q.label()), moved.size() + " message(s) redriven to "
        + SqsQueues.nameOf(q.queueUrl()), heldBack[0] == 0 ? null : heldBack[0] + " selected message(s) kept: an earlier"
        + " message of the same patient stays in the DLQ (select it too, to keep the patient's order)");
  }

  private QueuePair pair(String label) {
    for (QueuePair q : pairs) {
      if (q.label().equals(label) && q.deadLetterUrl() != null) {
        return q;
      }
    }
    throw new Refused(404, "no dead-letter queue named " + label);
  }

  /** The messages of the caller's tenants, and those that name no tenant (the stack's own, e.g. from the EHR). */
  private static List<Message> mine(ConsoleRequest r, List<Message> messages) {
    List<Message> out = new ArrayList<>();
    for (Message m : messages) {
      if (mayAct(r.tenants(), m)) {
        out.add(m);
      }
    }
    return out;
  }

  private static boolean mayAct(Set<String> tenants, Message m) {
    String tenant = SqsQueues.tenantOf(m);
    return tenant == null || tenants.contains(tenant);
  }

  /** The id {@code ReplayMessage} knows a dead-lettered message by: its MSH-10, else its event id. */
  private static String replayId(Message m) {
    for (String name : List.of("controlId", "eventId")) {
      MessageAttributeValue v = m.messageAttributes().get(name);
      if (v != null && v.stringValue() != null && ID.matcher(v.stringValue()).matches()) {
        return v.stringValue();
      }
    }
    return null;
  }

  static String age(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s < 172800 ? s / 3600 + " h" : s / 86400 + " d";
  }
}
