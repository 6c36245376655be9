package io.telebridge.matching;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Given-name equivalence from {@code nicknames.txt}, a list written by the telebridge project itself
 * (no third-party data). Two names are equivalent when they share a group. Also knows which strings
 * are real given names ({@code given-names.txt}, every name in {@code nicknames.txt}, and names a
 * population uses often, see {@link #withKnown}): two real names one keystroke apart (Christian /
 * Christina) are not a typo of each other.
 */
public final class Nicknames {

  private final Map<String, Set<Integer>> groupsByName = new HashMap<>();
  private final Set<String> known = new HashSet<>();

  private Nicknames(Map<String, Set<Integer>> groups, Set<String> known) {
    groupsByName.putAll(groups);
    this.known.addAll(groups.keySet());
    this.known.addAll(known);
  }

  /** These names and the given names of {@code more} (a population's frequent names) as known names. */
  public Nicknames withKnown(java.util.Collection<String> more) {
    Set<String> all = new HashSet<>(known);
    all.addAll(more);
    return new Nicknames(groupsByName, all);
  }

  /** Whether a normalised given name is a real given name (listed, or frequent in the population). */
  public boolean known(String name) {
    return name != null && known.contains(name);
  }

  /** Whether {@code name} is one keystroke from a real name other than {@code except}. */
  public boolean nearOtherName(String name, String except) {
    for (String k : known) {
      if (!k.equals(except) && !k.equals(name) && Keystrokes.typo(name, k)) {
        return true;
      }
    }
    return false;
  }

  /** The one real name a misspelling is one keystroke from, or null when none or several. */
  public String reading(String name) {
    String found = null;
    for (String k : known) {
      if (!k.equals(name) && Keystrokes.typo(name, k)) {
        if (found != null) {
          return null;
        }
        found = k;
      }
    }
    return found;
  }

  private static Set<String> words(String resource) throws IOException {
    Set<String> out = new HashSet<>();
    try (InputStream in = Nicknames.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " missing from the classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          out.addAll(java.util.List.of(line.split("\\s+")));
        }
      }
    }
    return out;
  }

  /** The list shipped with this module. */
  public static Nicknames bundled() {
    try (InputStream in = Nicknames.class.getResourceAsStream("nicknames.txt")) {
      if (in == null) {
        throw new IllegalStateException("nicknames.txt missing from the classpath");
      }
      Map<String, Set<Integer>> groups = new HashMap<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      int group = 0;
      while ((line = reader.readLine()) != null) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        for (String name : line.split("\\s+")) {
          groups.computeIfAbsent(name, k -> new HashSet<>()).add(group);
        }
        group++;
      }
      return new Nicknames(groups, words("given-names.txt"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether two normalised given names are nickname-equivalent (distinct names sharing a group). */
  public boolean equivalent(String a, String b) {
    if (a == null || b == null || a.equals(b)) {
      return false;
    }
    Set<Integer> ga = groupsByName.get(a);
    Set<Integer> gb = groupsByName.get(b);
    if (ga == null || gb == null) {
      return false;
    }
    for (Integer g : ga) {
      if (gb.contains(g)) {
        return true;
      }
    }
    return false;
  }

  /** A stable representative for blocking: the formal name of the first group, else the name. */
  public String canonical(String name) {
    Set<Integer> g = groupsByName.get(name);
    if (g == null || g.size() != 1) {
      return name;
    }
    return "g" + g.iterator().next();
  }
}
