package io.telebridge.matching.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a CSV with a header row; tolerates leading spaces, blank values, quoted fields, blank lines. */
public final class BenchCsv {

  private BenchCsv() {}

  public static List<BenchRecord> read(Path file) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null) {
        return List.of();
      }
      if (header.startsWith("\uFEFF")) {
        header = header.substring(1);
      }
      List<String> columns = new ArrayList<>();
      for (String c : split(header)) {
        columns.add(c.strip().toLowerCase(Locale.ROOT));
      }
      if (!columns.contains("rec_id") && !columns.contains("mrn")) {
        throw new IOException("no rec_id (or mrn) column in " + file.getFileName());
      }
      List<BenchRecord> rows = new ArrayList<>();
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        List<String> cells = split(line);
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          values.put(columns.get(i), i < cells.size() ? cells.get(i).strip() : "");
        }
        rows.add(new BenchRecord(values));
      }
      return rows;
    }
  }

  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"' && cur.toString().isBlank()) {
        cur.setLength(0);
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
