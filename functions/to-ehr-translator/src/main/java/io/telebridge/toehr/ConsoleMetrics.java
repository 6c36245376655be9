package io.telebridge.toehr;

import static io.telebridge.toehr.ConsoleHtml.esc;

import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.core.journal.JournalFigures;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The console's "metrics at a glance": per tenant of the caller, the last hour's and the last 24 hours'
 * counts from the journal ({@link JournalFigures}: derived from each step as the CloudWatch metrics are, so
 * the figures and the dashboard agree), the messages on the live and dead-letter queues now, the open
 * review cases, and a link to the CloudWatch dashboard for the figures over time. No PHI: counts only.
 */
final class ConsoleMetrics {

  /** The rows, in the order of a booking's journey; a metric nobody counted in the day shows 0. */
  static final List<String[]> ROWS = List.of(
      new String[] {"WebhooksAccepted", "Webhooks accepted"},
      new String[] {"WebhooksRefused", "Webhooks refused"},
      new String[] {"BookingsPosted", "Bookings posted"},
      new String[] {"Registrations", "Registrations"},
      new String[] {"ParkedForReview", "Parked for review"},
      new String[] {"Hl7Queued", "HL7 queued"},
      new String[] {"Hl7Sent", "HL7 sent"},
      new String[] {"Hl7Acked", "HL7 ACKed (AA/CA)"},
      new String[] {"Hl7Nacked", "HL7 NACKed (AE/AR…)"},
      new String[] {"Hl7Received", "HL7 received from the EHR"},
      new String[] {"EventsQueued", "Events queued to the platform"},
      new String[] {"Delivered", "Delivered to the platform"},
      new String[] {"DeliveryRetries", "Delivery retries"},
      new String[] {"FlowHeldBack", "Held back by a flow switch (off/shadow)"},
      new String[] {"Failures", "Failures"},
      new String[] {"DeadLettered", "Dead-lettered"},
      new String[] {"Replays", "Replays"});

  private final ConsoleQueues queues;
  private final ConsoleReviews reviews;
  private final JournalFigures figures; // null: no journal
  private final String dashboardUrl;

  ConsoleMetrics(ConsoleQueues queues, ConsoleReviews reviews, JournalFigures figures, String dashboardUrl) {
    this.queues = queues;
    this.reviews = reviews;
    this.figures = figures;
    this.dashboardUrl = dashboardUrl;
  }

  HttpApiResponse metricsPage(ConsoleRequest r) {
    StringBuilder b = new StringBuilder();
    List<String> tenants = List.copyOf(new TreeSet<>(r.tenants()));
    if (figures == null) {
      b.append("<p id=\"figures-unknown\">No journal is configured (JOURNAL_TABLE): the counts are unknown here.</p>");
    } else {
      b.append("<p>Counted from the journal (every stage's step; the same derivation as the CloudWatch metrics),"
          + " per tenant, over the last hour and the last 24 hours.</p><table id=\"figures\"><tr><th></th>");
      List<JournalFigures.Figures> all = tenants.stream().map(figures::of).toList();
      for (JournalFigures.Figures f : all) {
        b.append("<th colspan=\"2\">").append(esc(f.tenant())).append("</th>");
      }
      b.append("</tr><tr><th>Metric</th>");
      all.forEach(f -> b.append("<th>last hour</th><th>last 24 h</th>"));
      b.append("</tr>");
      for (String[] row : ROWS) {
        b.append("<tr data-metric=\"").append(row[0]).append("\"><th>").append(esc(row[1])).append("</th>");
        for (JournalFigures.Figures f : all) {
          cell(b, f, f.lastHour(), row[0], "hour");
          cell(b, f, f.lastDay(), row[0], "day");
        }
        b.append("</tr>");
      }
      b.append("</table>");
      for (JournalFigures.Figures f : all) {
        if (!f.complete()) {
          b.append("<p class=\"error\">").append(esc(f.tenant())).append(": more than ").append(JournalFigures.MAX_STEPS)
              .append(" steps in 24 h; only the oldest were read, so each figure is a lower bound (\u2265).</p>");
        }
      }
    }
    long dead = 0;
    long waiting = 0;
    for (ConsoleQueues.QueuePair q : queues.pairs()) {
      waiting += q.queueUrl() == null ? 0 : queues.depth(q.queueUrl());
      dead += q.deadLetterUrl() == null ? 0 : queues.depth(q.deadLetterUrl());
    }
    long open = 0;
    for (String t : tenants) {
      open += reviews.open(t);
    }
    b.append("<h2>Now</h2><table id=\"glance\"><tr><th>Messages on the live queues (all tenants)</th><td class=\"num\">")
        .append(waiting).append("</td></tr><tr><th>Messages dead-lettered or quarantined (all tenants)</th>"
            + "<td class=\"num\">").append(dead).append("</td></tr><tr><th>Open review cases (your tenants)</th>"
            + "<td class=\"num\">").append(open).append("</td></tr></table>");
    if (!dashboardUrl.isEmpty()) {
      b.append("<p>The counts over time (namespace <code>telebridge</code>, per tenant, with EndToEndLatency and the"
          + " queues' ApproximateAgeOfOldestMessage) are on the <a id=\"dashboard\" href=\"").append(esc(dashboardUrl))
          .append("\">CloudWatch dashboard</a>.</p>");
    } else {
      b.append("<p>The counts over time (namespace <code>telebridge</code>) are CloudWatch EMF lines in each function's"
          + " log; locally they are in the stack's console output, in AWS on the stack's dashboard.</p>");
    }
    return r.page("metrics", "Metrics at a glance", b);
  }

  private static void cell(StringBuilder b, JournalFigures.Figures f, Map<String, Long> counts, String metric,
      String period) {
    b.append("<td class=\"num ").append(period).append("\" data-tenant=\"").append(esc(f.tenant())).append("\">")
        .append(f.complete() ? "" : "\u2265 ").append(counts.getOrDefault(metric, 0L)).append("</td>");
  }
}
