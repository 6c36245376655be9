package io.telebridge.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.AbstractMessage;
import ca.uhn.hl7v2.model.v251.datatype.ED;
import ca.uhn.hl7v2.model.v251.datatype.PPN;
import ca.uhn.hl7v2.model.v251.datatype.TX;
import ca.uhn.hl7v2.model.v251.datatype.FT;
import ca.uhn.hl7v2.model.v251.message.MDM_T01;
import ca.uhn.hl7v2.model.v251.message.MDM_T02;
import ca.uhn.hl7v2.model.v251.segment.EVN;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.PV1;
import ca.uhn.hl7v2.model.v251.segment.TXA;
import io.telebridge.core.model.Identifier;
import io.telebridge.core.model.PlatformEvent;
import io.telebridge.core.model.Visit;
import io.telebridge.core.model.VisitNote;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Medical document management: a signed note as MDM^T02 (original, with content), T08 (edit with
 * content: same document number) or T10 (replacement with content: a new document number, TXA-13 the
 * replaced one), and a retraction as T11 (cancel notification, no content; structure MDM_T01).
 *
 * <p>MSH, EVN, PID, PV1 (the encounter: {@link VisitFields#pv1}, attending = the author), TXA, then for
 * T02/T08/T10 the content: OBX {@code TX} one per line of the note (a blank line is an OBX with an
 * empty value), or OBX {@code FT} with the whole text ({@code \.br\} between lines; a new OBX every
 * 32,000 characters, at a line break, the most HAPI's validation lets an FT value hold) when the profile
 * says FT; a PDF (the note itself, or its rendition beside the text) as OBX {@code ED}
 * {@code ^AP^PDF^Base64^<data>}; an HTML note as OBX {@code ED} {@code ^TEXT^HTML^Base64^<data>}.
 *
 * <p>TXA: 1; 2 document type ({@code documents.types}); 3 content presentation (TX, FT, or AP when the
 * content is a PDF or HTML); 4 activity and 6 origination date = signed at; 5 and 9 the author (EHR
 * id, NPI); 8 edit date (amendments); 12 unique document number = the note id (T10: {@code <id>-v<n>}
 * for version n &gt; 1) under {@code authorities.document}; 13 the parent (T10); 17 completion status
 * ({@code documents.completionStatus}); 19 availability AV (T11: CA); 22 authentication: the author's EHR
 * id and NPI with the signing time (PPN-15).
 */
final class MdmMessages {

  private MdmMessages() {}

  /** The trigger for a note: T02 signed, T08/T10 amended (profile), T11 retracted. */
  static MessageKind kindFor(EhrProfile profile, VisitNote note) {
    return switch (note.status()) {
      case SIGNED -> MessageKind.MDM_T02;
      case AMENDED -> profile.documents().amendment() == EhrProfile.AmendmentEvent.T10 ? MessageKind.MDM_T10 : MessageKind.MDM_T08;
      case RETRACTED -> MessageKind.MDM_T11;
    };
  }

  static OutboundHl7 build(MessageAssembly settings, MessageKind kind, PlatformEvent event, List<Identifier> pid3) {
    MessageAssembly.requireEvent(event);
    Visit visit = VisitFields.visit(event, kind);
    VisitNote note = visit.note();
    if (note == null || note.id() == null || note.author() == null) {
      throw new UntranslatableEventException("event " + event.eventId() + ": no note with id and author for " + kind.messageType());
    }
    boolean content = kind != MessageKind.MDM_T11;
    if (content && (note.content() == null || note.contentType() == null)) {
      throw new UntranslatableEventException("event " + event.eventId() + ": note " + note.id() + " has no content for "
          + kind.messageType());
    }
    EhrProfile profile = settings.profile;
    EhrProfile.DocumentType type = profile.documents().typeOf(note.type());
    if (type == null) {
      throw new UntranslatableEventException("event " + event.eventId() + ": note type " + note.type()
          + " is not mapped in EHR profile " + profile.id() + " (documents.types)");
    }
    List<ProviderIds.Id> author = ProviderIds.of(profile, event, note.author());
    List<Identifier> identifiers = settings.identifiers(event, pid3);
    String controlId = ControlIds.of(event.tenant(), event.eventId(), kind.messageType());
    try {
      AbstractMessage message = content ? MessageAssembly.newMessage(MDM_T02::new)
          : MessageAssembly.newMessage(MDM_T01::new);
      MSH msh = (MSH) message.get("MSH");
      EVN evn = (EVN) message.get("EVN");
      PID pid = (PID) message.get("PID");
      PV1 pv1 = (PV1) message.get("PV1");
      TXA txa = (TXA) message.get("TXA");
      Hl7Fields.msh(msh, kind, controlId, profile, settings.environment, settings.clock);
      Hl7Fields.evn(evn, kind, event, profile);
      Hl7Fields.pid(pid, event.patient(), identifiers, profile);
      VisitFields.pv1(pv1, profile, visit, author);
      txa(txa, kind, profile, type, note, author);
      if (content) {
        observations((MDM_T02) message, kind, profile, type, note);
      }
      return settings.encode(event, message, kind, controlId);
    } catch (HL7Exception e) {
      throw settings.refused(event, kind, e);
    }
  }

  private static boolean textNote(VisitNote note) {
    return "text/plain".equals(note.contentType());
  }

  private static void txa(TXA txa, MessageKind kind, EhrProfile profile, EhrProfile.DocumentType type, VisitNote note,
      List<ProviderIds.Id> author) throws HL7Exception {
    String signed = Hl7Fields.dtm(note.signedAt(), profile.messageTimeZone());
    txa.getSetIDTXA().setValue("1");
    txa.getDocumentType().setValue(type.code());
    if (kind != MessageKind.MDM_T11) {
      txa.getDocumentContentPresentation().setValue(textNote(note) ? profile.documents().format().name() : "AP");
    }
    txa.getActivityDateTime().getTime().setValue(signed);
    ProviderIds.fill(author, txa::getPrimaryActivityProviderCodeName);
    if (note.status() == VisitNote.Status.SIGNED) {
      txa.getOriginationDateTime().getTime().setValue(signed);
    } else {
      txa.getEditDateTime(0).getTime().setValue(signed);
    }
    ProviderIds.fill(author, txa::getOriginatorCodeName);
    boolean replaces = profile.documents().amendment() == EhrProfile.AmendmentEvent.T10;
    Hl7Fields.ei(txa.getUniqueDocumentNumber(), replaces ? documentNumber(note.id(), note.version()) : note.id(),
        profile.authorities().document());
    if (kind == MessageKind.MDM_T10) {
      Hl7Fields.ei(txa.getParentDocumentNumber(), documentNumber(note.id(), note.version() - 1),
          profile.authorities().document());
    }
    txa.getDocumentCompletionStatus().setValue(profile.documents().completionStatus());
    txa.getDocumentAvailabilityStatus().setValue(kind == MessageKind.MDM_T11 ? "CA" : "AV");
    int rep = 0;
    for (ProviderIds.Id id : author) {
      PPN ppn = txa.getAuthenticationPersonTimeStamp(rep++);
      ppn.getIDNumber().setValue(id.value());
      Hl7Fields.set(ppn.getAssigningAuthority().getNamespaceID(), id.authority());
      Hl7Fields.set(ppn.getIdentifierTypeCode(), id.typeCode());
      ppn.getDateTimeActionPerformed().getTime().setValue(signed);
    }
  }

  /** TXA-12 of a note's version: the note id for the original, {@code <id>-v<n>} for later versions (T10 mode). */
  static String documentNumber(String noteId, int version) {
    return version <= 1 ? noteId : noteId + "-v" + version;
  }

  /** The note's lines: split at CR LF, CR or LF; trailing blank lines dropped. */
  static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\r\n|\r|\n", -1)));
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /** The most characters one FT value may hold (HAPI's default validation: FT max length 32,000). */
  static final int FT_MAX = 32_000;

  /**
   * The note's lines as FT values: whole lines joined with line breaks, as many as fit in {@link #FT_MAX}
   * characters; a longer line is cut into pieces of that size. One OBX each, in order.
   */
  static List<String> ftChunks(List<String> lines) {
    List<String> chunks = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      for (int from = 0; from == 0 || from < line.length(); from += FT_MAX) {
        String piece = line.substring(from, Math.min(line.length(), from + FT_MAX));
        int needed = current.isEmpty() ? piece.length() : current.length() + 1 + piece.length();
        if (needed > FT_MAX && !current.isEmpty()) {
          chunks.add(current.toString());
          current.setLength(0);
        }
        if (!current.isEmpty()) {
          current.append('\n');
        }
        current.append(piece);
      }
    }
    if (!current.isEmpty() || chunks.isEmpty()) {
      chunks.add(current.toString());
    }
    return chunks;
  }

  private static void observations(MDM_T02 mdm, MessageKind kind, EhrProfile profile, EhrProfile.DocumentType type,
      VisitNote note) throws HL7Exception {
    String status = kind == MessageKind.MDM_T02 ? "F" : "C";
    String signed = Hl7Fields.dtm(note.signedAt(), profile.messageTimeZone());
    int n = 0;
    if (textNote(note)) {
      if (profile.documents().format() == EhrProfile.NoteFormat.FT) {
        for (String chunk : ftChunks(lines(note.content()))) {
          OBX obx = obx(mdm, n++, "FT", type, status, signed);
          FT ft = new FT(mdm);
          Hl7Fields.set(ft, chunk);
          obx.getObservationValue(0).setData(ft);
        }
      } else {
        for (String line : lines(note.content())) {
          OBX obx = obx(mdm, n++, "TX", type, status, signed);
          TX tx = new TX(mdm);
          Hl7Fields.set(tx, line);
          obx.getObservationValue(0).setData(tx);
        }
      }
      if (note.pdf() != null && !note.pdf().isEmpty()) {
        ed(mdm, n, type, status, signed, "AP", "PDF", note.pdf(), profile);
      }
    } else if ("application/pdf".equals(note.contentType())) {
      ed(mdm, n, type, status, signed, "AP", "PDF", note.content(), profile);
    } else {
      String html = Base64.getEncoder().encodeToString(note.content().getBytes(StandardCharsets.UTF_8));
      ed(mdm, n, type, status, signed, "TEXT", "HTML", html, profile);
    }
  }

  private static OBX obx(MDM_T02 mdm, int index, String valueType, EhrProfile.DocumentType type, String status, String signed)
      throws HL7Exception {
    OBX obx = mdm.getOBSERVATION(index).getOBX();
    obx.getSetIDOBX().setValue(Integer.toString(index + 1));
    obx.getValueType().setValue(valueType);
    Hl7Fields.ce(obx.getObservationIdentifier(), type.observation());
    obx.getObservationResultStatus().setValue(status);
    obx.getDateTimeOfTheObservation().getTime().setValue(signed);
    return obx;
  }

  /** OBX-5 ED: source application ^ type of data ^ subtype ^ Base64 ^ data (base64 needs no escaping). */
  private static void ed(MDM_T02 mdm, int index, EhrProfile.DocumentType type, String status, String signed,
      String typeOfData, String subtype, String base64, EhrProfile profile) throws HL7Exception {
    OBX obx = obx(mdm, index, "ED", type, status, signed);
    ED ed = new ED(mdm);
    Hl7Fields.hd(ed.getSourceApplication(), profile.sendingApplication());
    ed.getTypeOfData().setValue(typeOfData);
    ed.getDataSubtype().setValue(subtype);
    ed.getEncoding().setValue("Base64");
    ed.getData().setValue(base64);
    obx.getObservationValue(0).setData(ed);
  }
}
