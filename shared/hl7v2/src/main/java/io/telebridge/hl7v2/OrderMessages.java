package io.telebridge.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.AbstractMessage;
import ca.uhn.hl7v2.model.v251.group.OML_O21_OBSERVATION_REQUEST;
import ca.uhn.hl7v2.model.v251.group.OML_O21_ORDER;
import ca.uhn.hl7v2.model.v251.group.ORM_O01_ORDER;
import ca.uhn.hl7v2.model.v251.group.ORM_O01_ORDER_DETAIL;
import ca.uhn.hl7v2.model.v251.message.OML_O21;
import ca.uhn.hl7v2.model.v251.message.ORM_O01;
import ca.uhn.hl7v2.model.v251.segment.NTE;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.ORC;
import ca.uhn.hl7v2.model.v251.segment.TQ1;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Visit;
import io.telebridge.core.model.VisitOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders placed (or cancelled) during a visit: one ORM^O01, or OML^O21 when the profile's
 * {@code orders.message} says so, with one ORDER group per order of the event.
 *
 * <p>MSH; PID and PV1 (the encounter; attending = the first order's orderer); per order: ORC (1 NW, or
 * CA for a cancelled order; 2 placer order number = the platform order id under
 * {@code authorities.placerOrder}; 7.6 priority on ORM; 9 ordered at; 12 ordering provider: EHR id,
 * NPI), on OML a TQ1 (1, 9 priority {@code R/A/S^...^HL70485}), OBR (1, 2 the placer order number, 4
 * the code mapped by {@code orders.codes} / {@code orders.passThrough}, 16 ordering provider, 27.6
 * priority on ORM), NTE with the instructions (NTE-2 {@code P}), DG1 per diagnosis (type W, rank in
 * DG1-15). Priority: routine R, urgent A (ASAP), stat S (HL7 table 0485).
 *
 * <p>OML^O21 carries one order per message (MSH-10 from the event id, the type and the order id): its
 * structure nests a prior result's ORC inside the order (PRIOR_RESULT / ORDER_PRIOR), so a HAPI-based
 * receiver reads a second ORDER group of the same message as the first order's prior result.
 *
 * <p>Refused (the whole event, nothing sent): a code the profile does not map, a medication order (an
 * RDE flow, not built), a non-lab order for an OML profile.
 */
final class OrderMessages {

  private OrderMessages() {}

  static MessageKind kindFor(EhrProfile profile) {
    return profile.orders().message() == EhrProfile.OrderMessage.OML_O21 ? MessageKind.OML_O21 : MessageKind.ORM_O01;
  }

  /** An order and what the profile makes of it. */
  private record Mapped(VisitOrder order, EhrProfile.Coded service, List<ProviderIds.Id> orderer, String orderedAt) {}

  /** The messages of the event: one ORM^O01 with every order, or one OML^O21 per order. Each order is checked first. */
  static List<OutboundHl7> build(MessageAssembly settings, MessageKind kind, PlatformEvent event, List<Identifier> pid3) {
    MessageAssembly.requireEvent(event);
    Visit visit = VisitFields.visit(event, kind);
    if (visit.orders().isEmpty()) {
      throw new UntranslatableEventException("event " + event.eventId() + ": no orders for " + kind.messageType());
    }
    EhrProfile profile = settings.profile;
    List<Mapped> orders = new ArrayList<>(visit.orders().size());
    for (VisitOrder o : visit.orders()) {
      orders.add(map(profile, kind, event, o));
    }
    List<Identifier> identifiers = settings.identifiers(event, pid3);
    if (kind == MessageKind.ORM_O01) {
      return List.of(build(settings, kind, event, visit, orders, identifiers,
          ControlIds.of(event.tenant(), event.eventId(), kind.messageType())));
    }
    List<OutboundHl7> out = new ArrayList<>(orders.size());
    for (Mapped m : orders) {
      out.add(build(settings, kind, event, visit, List.of(m), identifiers,
          ControlIds.of(event.tenant(), event.eventId(), kind.messageType() + "/" + m.order().id())));
    }
    return List.copyOf(out);
  }

  private static OutboundHl7 build(MessageAssembly settings, MessageKind kind, PlatformEvent event, Visit visit,
      List<Mapped> orders, List<Identifier> identifiers, String controlId) {
    EhrProfile profile = settings.profile;
    try {
      AbstractMessage message;
      if (kind == MessageKind.OML_O21) {
        OML_O21 oml = MessageAssembly.newMessage(OML_O21::new);
        Hl7Fields.msh(oml.getMSH(), kind, controlId, profile, settings.environment, settings.clock);
        Hl7Fields.pid(oml.getPATIENT().getPID(), event.patient(), identifiers, profile);
        VisitFields.pv1(oml.getPATIENT().getPATIENT_VISIT().getPV1(), profile, visit, orders.get(0).orderer());
        for (int i = 0; i < orders.size(); i++) {
          Mapped m = orders.get(i);
          OML_O21_ORDER group = oml.getORDER(i);
          orc(group.getORC(), m, profile, false);
          TQ1 tq1 = group.getTIMING().getTQ1();
          tq1.getSetIDTQ1().setValue("1");
          EhrProfile.Coded priority = priority(m.order().priority());
          tq1.getPriority(0).getIdentifier().setValue(priority.code());
          tq1.getPriority(0).getText().setValue(priority.text());
          tq1.getPriority(0).getNameOfCodingSystem().setValue(priority.system());
          OML_O21_OBSERVATION_REQUEST request = group.getOBSERVATION_REQUEST();
          obr(request.getOBR(), i, m, profile, false);
          note(request.getNTE(), m.order());
          VisitFields.dg1(m.order().diagnoses(), "W", request::getDG1);
        }
        message = oml;
      } else {
        ORM_O01 orm = MessageAssembly.newMessage(ORM_O01::new);
        Hl7Fields.msh(orm.getMSH(), kind, controlId, profile, settings.environment, settings.clock);
        Hl7Fields.pid(orm.getPATIENT().getPID(), event.patient(), identifiers, profile);
        VisitFields.pv1(orm.getPATIENT().getPATIENT_VISIT().getPV1(), profile, visit, orders.get(0).orderer());
        for (int i = 0; i < orders.size(); i++) {
          Mapped m = orders.get(i);
          ORM_O01_ORDER group = orm.getORDER(i);
          orc(group.getORC(), m, profile, true);
          ORM_O01_ORDER_DETAIL detail = group.getORDER_DETAIL();
          obr(detail.getOBR(), i, m, profile, true);
          note(detail.getNTE(), m.order());
          VisitFields.dg1(m.order().diagnoses(), "W", detail::getDG1);
        }
        message = orm;
      }
      return settings.encode(event, message, kind, controlId);
    } catch (HL7Exception e) {
      throw settings.refused(event, kind, e);
    }
  }

  private static Mapped map(EhrProfile profile, MessageKind kind, PlatformEvent event, VisitOrder o) {
    if ("medication".equals(o.category())) {
      throw new UntranslatableEventException("event " + event.eventId() + ": order " + o.id()
          + " is a medication order; telebridge sends no pharmacy orders (RDE) to EHR profile " + profile.id());
    }
    if (kind == MessageKind.OML_O21 && !"lab".equals(o.category())) {
      throw new UntranslatableEventException("event " + event.eventId() + ": order " + o.id() + " is a " + o.category()
          + " order, and EHR profile " + profile.id() + " takes laboratory orders only (orders.message OML_O21)");
    }
    EhrProfile.Coded service = o.code() == null ? null
        : profile.orders().codeFor(o.code().system(), o.code().code(), o.code().display());
    if (service == null) {
      throw new UntranslatableEventException("event " + event.eventId() + ": order " + o.id() + " code "
          + (o.code() == null ? null : o.code().system() + "|" + o.code().code())
          + " is not mapped in EHR profile " + profile.id() + " (orders.codes, orders.passThrough)");
    }
    String orderedAt = Hl7Fields.dtm(o.orderedAt() == null ? event.occurredAt().atZone(profile.messageTimeZone()).toOffsetDateTime()
        : o.orderedAt(), profile.messageTimeZone());
    return new Mapped(o, service, VisitFields.provider(profile, event, o.orderer()), orderedAt);
  }

  /** HL7 table 0485 priority of a platform priority. */
  static EhrProfile.Coded priority(String platformPriority) {
    return switch (platformPriority == null ? "routine" : platformPriority) {
      case "stat" -> new EhrProfile.Coded("S", "Stat", "HL70485");
      case "urgent" -> new EhrProfile.Coded("A", "ASAP", "HL70485");
      default -> new EhrProfile.Coded("R", "Routine", "HL70485");
    };
  }

  private static void orc(ORC orc, Mapped m, EhrProfile profile, boolean tq) throws HL7Exception {
    orc.getOrderControl().setValue(m.order().cancelled() ? "CA" : "NW");
    Hl7Fields.ei(orc.getPlacerOrderNumber(), m.order().id(), profile.authorities().placerOrder());
    if (tq) {
      orc.getQuantityTiming(0).getPriority().setValue(priority(m.order().priority()).code());
    }
    orc.getDateTimeOfTransaction().getTime().setValue(m.orderedAt());
    ProviderIds.fill(m.orderer(), orc::getOrderingProvider);
  }

  private static void obr(OBR obr, int index, Mapped m, EhrProfile profile, boolean tq) throws HL7Exception {
    obr.getSetIDOBR().setValue(Integer.toString(index + 1));
    Hl7Fields.ei(obr.getPlacerOrderNumber(), m.order().id(), profile.authorities().placerOrder());
    Hl7Fields.ce(obr.getUniversalServiceIdentifier(), m.service());
    ProviderIds.fill(m.orderer(), obr::getOrderingProvider);
    if (tq) {
      obr.getQuantityTiming(0).getPriority().setValue(priority(m.order().priority()).code());
    }
  }

  private static void note(NTE nte, VisitOrder order) throws HL7Exception {
    if (order.instructions() == null || order.instructions().isBlank()) {
      return;
    }
    nte.getSetIDNTE().setValue("1");
    nte.getSourceOfComment().setValue("P");
    nte.getComment(0).setValue(order.instructions());
  }
}
