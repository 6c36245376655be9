package io.telebridge.core.fromehr;

import java.math.BigDecimal;

/**
 * One OBX-5 value, typed by OBX-2. PHI: {@code toString} of every kind is redacted (a value,
 * next to its test, is clinical data).
 */
public sealed interface ObservationValue {

  /** NM. */
  record Numeric(BigDecimal number) implements ObservationValue {
    @Override
    public String toString() {
      return "Numeric[***]";
    }
  }

  /** ST, TX, FT (escapes decoded; FT/TX line breaks as LF). */
  record Text(String text) implements ObservationValue {
    @Override
    public String toString() {
      return "Text[***]";
    }
  }

  /** CE, CWE. */
  record Coded(Code code) implements ObservationValue {
    @Override
    public String toString() {
      return "Coded[***]";
    }
  }

  /**
   * SN: {@code <comparator>^<num1>^<separator/suffix>^<num2>}, e.g. {@code <^0.5}, {@code ^1^:^128},
   * {@code ^10^-^20}.
   */
  record StructuredNumeric(String comparator, BigDecimal number, String separator, BigDecimal number2)
      implements ObservationValue {
    @Override
    public String toString() {
      return "StructuredNumeric[***]";
    }
  }

  /**
   * ED: an embedded document. {@code data} is as sent (for {@code Base64} encoding: standard base64).
   *
   * @param mediaType {@code <type of data>/<data subtype>} lower-cased, e.g. {@code application/pdf}
   * @param encoding ED-4 (Base64, Hex, A = ASCII) as sent
   */
  record Attachment(String sourceApplication, String mediaType, String encoding, String data)
      implements ObservationValue {
    @Override
    public String toString() {
      return "Attachment[mediaType=" + mediaType + ", encoding=" + encoding + ", chars="
          + (data == null ? 0 : data.length()) + "]";
    }
  }
}
