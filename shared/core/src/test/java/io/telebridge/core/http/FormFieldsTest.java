package io.telebridge.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormFieldsTest {

  @Test
  void decodesEveryFieldInOrderWithRepeatedNames() {
    Map<String, List<String>> fields = FormFields.parse("status=503&times=2&note=a+b%26c&flag&&status=429&%C3%BC=%E2%9C%93");
    assertEquals(List.of("status", "times", "note", "flag", "ü"), List.copyOf(fields.keySet()));
    assertEquals(List.of("503", "429"), fields.get("status"));
    assertEquals(List.of("a b&c"), fields.get("note"));
    assertEquals(List.of(""), fields.get("flag"));
    assertEquals(List.of("✓"), fields.get("ü"));
  }

  @Test
  void theLastValueWinsAndNothingGivenIsNoFields() {
    assertEquals(Map.of("status", "429", "times", "2"), FormFields.last("status=503&times=2&status=429"));
    assertEquals(Map.of(), FormFields.parse(null));
    assertEquals(Map.of(), FormFields.last(""));
  }
}
