package io.telebridge.toehr;

import static io.telebridge.toehr.ConsoleHtml.csrfField;
import static io.telebridge.toehr.ConsoleHtml.esc;
import static io.telebridge.toehr.ConsoleHtml.url;
import static io.telebridge.toehr.ConsoleRequest.notFound;
import static io.telebridge.toehr.ConsoleRequest.redirect;

import io.telebridge.aws.lambda.HttpApiResponse;
import io.telebridge.core.journal.JournalEntry;
import io.telebridge.core.switches.CachedFlowSwitches;
import io.telebridge.core.switches.Flow;
import io.telebridge.core.switches.FlowMode;
import io.telebridge.core.switches.FlowSwitch;
import io.telebridge.core.switches.ListFlowSwitches;
import io.telebridge.core.switches.SetFlowSwitch;
import io.telebridge.toehr.ConsoleRequest.Refused;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.TreeSet;

/**
 * The console's Flows page: every flow's switch of the caller's tenants, a form per switch to set it on,
 * off or shadow, and each flow's last changes. Setting one is {@link SetFlowSwitch}, the use case of the
 * ops API's {@code PUT /v1/flows/{tenant}/{flow}} that {@code ./tb flows set} calls: the same audit
 * record in the journal (who, what, when, from→to). Every function reads the switches through {@link
 * CachedFlowSwitches} (at most 60 s old), so a change takes effect everywhere within that time.
 */
final class ConsoleFlows {

  private static final System.Logger LOG = System.getLogger(ConsoleFlows.class.getName());
  private static final int HISTORY = 5;

  private final ListFlowSwitches list; // null: no switch table configured
  private final SetFlowSwitch set;

  ConsoleFlows(ListFlowSwitches list, SetFlowSwitch set) {
    this.list = list;
    this.set = set;
  }

  HttpApiResponse route(ConsoleRequest r, List<String> p, boolean get) {
    if (p.size() == 1 && get) {
      return flowsPage(r);
    }
    // POST /console/flows/{tenant}/{flow}  mode=on|off|shadow
    if (p.size() == 3 && !get) {
      return setFlow(r, p.get(1), p.get(2));
    }
    return notFound();
  }

  private HttpApiResponse flowsPage(ConsoleRequest r) {
    StringBuilder b = new StringBuilder();
    if (list == null) {
      b.append("<p id=\"flows\">No flow switch table is configured (FLOW_SWITCHES_TABLE): every flow is on.</p>");
      return r.page("flows", "Flows", b);
    }
    b.append("<p>Each flow is <b>on</b>, <b>off</b> (journaled and acknowledged, nothing sent) or <b>shadow</b>"
        + " (everything runs, what would be sent is kept for <code>./tb shadow-report</code>). A change is audited"
        + " (who, when, from→to) and every function follows it within ").append(CachedFlowSwitches.MAX_TTL.toSeconds())
        .append(" s (its switch cache). <code>./tb flows set &lt;tenant&gt; &lt;flow&gt; on|off|shadow</code> does the"
            + " same (docs/runbook.md, \"Switching a flow on after a shadow period\").</p>");
    b.append("<table id=\"flows\"><tr><th>Tenant</th><th>Flow</th><th>Mode</th><th>Since</th><th>By</th><th>Set to</th>"
        + "<th>Last changes</th></tr>");
    for (String t : new TreeSet<>(r.tenants())) {
      for (FlowSwitch f : list.list(t)) {
        String mode = f.mode().wire();
        b.append("<tr id=\"flow-").append(esc(t)).append("-").append(esc(f.flow().wire())).append("\"><td>").append(esc(t))
            .append("</td><td>").append(esc(f.flow().wire())).append("</td><td class=\"mode-").append(esc(mode))
            .append("\">").append(esc(mode)).append("</td><td>")
            .append(f.updatedAt() == null ? "(default)" : esc(f.updatedAt())).append("</td><td>")
            .append(f.updatedBy() == null ? "" : esc(f.updatedBy())).append("</td><td>");
        b.append("<form class=\"inline flow-set\" method=\"post\" action=\"/console/flows/").append(url(t)).append('/')
            .append(url(f.flow().wire())).append("\">").append(csrfField(r.csrf()));
        for (FlowMode m : FlowMode.values()) {
          if (m != f.mode()) {
            b.append("<button type=\"submit\" name=\"mode\" value=\"").append(m.wire()).append("\" class=\"set-")
                .append(m.wire()).append("\">").append(m.wire()).append("</button> ");
          }
        }
        b.append("</form></td><td class=\"history\">");
        List<JournalEntry> changes = list.history(t, f.flow());
        for (JournalEntry e : changes.subList(0, Math.min(HISTORY, changes.size()))) {
          b.append(esc(e.at())).append(' ').append(esc(e.outcome())).append(" by ").append(esc(e.by())).append("<br>");
        }
        b.append("</td></tr>");
      }
    }
    b.append("</table>");
    return r.page("flows", "Flows", b);
  }

  private HttpApiResponse setFlow(ConsoleRequest r, String tenant, String flowName) {
    if (list == null || set == null) {
      throw new Refused(404, "no flow switch table is configured (FLOW_SWITCHES_TABLE)");
    }
    if (!r.tenants().contains(tenant)) {
      throw new Refused(403, "you may not switch this tenant's flows");
    }
    Flow flow;
    FlowMode mode;
    try {
      flow = Flow.fromWire(flowName);
      mode = FlowMode.fromWire(r.f("mode"));
    } catch (IllegalArgumentException e) {
      throw new Refused(400, e.getMessage());
    }
    SetFlowSwitch.Changed changed = set.set(tenant, flow, mode, r.caller());
    LOG.log(Level.INFO, "console flow switch tenant={0} flow={1} {2}->{3} caller={4}", tenant, flow.wire(),
        changed.from().wire(), mode.wire(), r.caller());
    return redirect("/console/flows", tenant + " " + flow.wire() + ": " + changed.from().wire() + " -> " + mode.wire()
        + " (every function follows within " + CachedFlowSwitches.MAX_TTL.toSeconds() + " s)", null);
  }
}
