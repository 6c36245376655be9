package io.telebridge.toehr;

import static io.telebridge.toehr.ConsoleHtml.csrfField;
import static io.telebridge.toehr.ConsoleHtml.esc;
import static io.telebridge.toehr.ConsoleHtml.url;
import static io.telebridge.toehr.ConsoleRequest.ID;
import static io.telebridge.toehr.ConsoleRequest.redirect;

import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.journal.ReplayMessage;
import io.telebridge.core.journal.Trace;
import io.telebridge.core.journal.TraceMessage;
import io.telebridge.toehr.ConsoleRequest.Refused;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.Set;

/**
 * The console's trace page ("where is this booking?") with a replay per message, and the replay itself;
 * the ops API's use cases ({@link TraceMessage}, {@link ReplayMessage}: audited in the journal).
 */
final class ConsoleTrace {

  private static final System.Logger LOG = System.getLogger(ConsoleTrace.class.getName());

  private final TraceMessage trace;
  private final ReplayMessage replay;

  ConsoleTrace(TraceMessage trace, ReplayMessage replay) {
    this.trace = trace;
    this.replay = replay;
  }

  HttpApiResponse tracePage(ConsoleRequest r) {
    String id = r.q("id");
    StringBuilder b = new StringBuilder(traceForm(id == null ? "" : id));
    if (id != null) {
      if (!ID.matcher(id).matches()) {
        throw new Refused(400, "the id must be an event id, MSH-10, appointment id or platform patient id");
      }
      Trace found = null;
      for (String t : r.tenants()) {
        Trace candidate = trace.trace(t, id);
        if (candidate.found()) {
          found = candidate;
          break;
        }
      }
      LOG.log(Level.INFO, "console trace id={0} found={1} caller={2}", id, found != null, r.caller());
      if (found == null) {
        b.append("<p id=\"trace-empty\">The journal has nothing for ").append(esc(id))
            .append(" in your tenants (unknown, another tenant's, or older than the journal's retention).</p>");
      } else {
        b.append("<p>tenant ").append(esc(found.tenant())).append("</p><table id=\"trace\"><tr><th>At</th><th>Stage</th>"
            + "<th>Subject</th><th>Type</th><th>Outcome</th><th>Attempt</th><th>Error</th><th>Waits at</th><th>Links</th>"
            + "<th>By</th><th></th></tr>");
        Set<String> offered = new HashSet<>();
        for (JournalEntry e : found.steps()) {
          b.append("<tr class=\"step\" data-stage=\"").append(esc(e.stage())).append("\"><td>").append(esc(e.at()))
              .append("</td><td class=\"stage\">").append(esc(e.stage())).append("</td><td>").append(esc(e.subject()))
              .append("</td><td>").append(esc(e.type())).append("</td><td class=\"outcome\">").append(esc(e.outcome()))
              .append("</td><td>").append(e.attempt() > 0 ? e.attempt() : "").append("</td><td>")
              .append(esc(join(e.errorClass(), e.errorCode()))).append("</td><td>").append(esc(e.waitsAt()))
              .append("</td><td>").append(esc(String.join(", ", e.links()))).append("</td><td>").append(esc(e.by()))
              .append("</td><td>");
          String subject = e.subject();
          String replayable = subject == null ? null : subject.startsWith(JournalEntry.HL7)
              ? subject.substring(JournalEntry.HL7.length())
              : subject.startsWith(JournalEntry.EVENT) ? subject.substring(JournalEntry.EVENT.length()) : null;
          if (replayable != null && !"replay".equals(e.stage()) && offered.add(subject)) {
            b.append("<form class=\"inline\" method=\"post\" action=\"/console/replays\">").append(csrfField(r.csrf()))
                .append("<input type=\"hidden\" name=\"id\" value=\"").append(esc(replayable))
                .append("\"><button type=\"submit\">replay</button></form>");
          }
          b.append("</td></tr>");
        }
        b.append("</table><h2>Where it waits now</h2><ul id=\"waiting\">");
        if (found.waiting().isEmpty()) {
          b.append("<li>nowhere: every branch has finished</li>");
        }
        found.waiting().forEach(w -> b.append("<li>").append(esc(w.subject())).append(": ").append(esc(w.where()))
            .append("</li>"));
        b.append("</ul>");
      }
    }
    return r.page("trace", "Trace", b);
  }

  static String traceForm(String id) {
    return "<form method=\"get\" action=\"/console/trace\" id=\"trace-form\"><label>event id, MSH-10, appointment id or"
        + " platform patient id <input name=\"id\" size=\"40\" value=\"" + esc(id) + "\"></label> <button type=\"submit\">"
        + "Trace</button></form>";
  }

  HttpApiResponse replayOne(ConsoleRequest r) {
    String id = r.f("id");
    if (id == null || !ID.matcher(id).matches()) {
      throw new Refused(400, "replay needs an event id or MSH-10");
    }
    for (String t : r.tenants()) {
      ReplayMessage.Replayed done = replay.replay(t, id, r.caller());
      if (done.sent()) {
        LOG.log(Level.INFO, "console replay subject={0} tenant={1} to={2} caller={3}", done.subject(), t, done.queue(),
            r.caller());
        return redirect("/console/trace?id=" + url(id), done.subject() + " replayed to the " + done.queue() + " queue",
            null);
      }
    }
    return redirect("/console/trace?id=" + url(id), null, "nothing archived for " + id + " in your tenants");
  }

  private static String join(String a, String b) {
    return a == null ? b == null ? "" : b : b == null ? a : a + " " + b;
  }
}
