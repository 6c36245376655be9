package io.telebridge.matching;

/** Keystroke distances between two strings: what the comparator and the nickname table call a typo. */
final class Keystrokes {

  private Keystrokes() {}

  /** One substitution, insertion, deletion, or adjacent transposition apart. */
  static boolean typo(String a, String b) {
    int la = a.length();
    int lb = b.length();
    if (Math.abs(la - lb) > 1) {
      return false;
    }
    if (la == lb) {
      int first = -1;
      int diffs = 0;
      for (int i = 0; i < la; i++) {
        if (a.charAt(i) != b.charAt(i)) {
          if (diffs == 0) {
            first = i;
          }
          diffs++;
        }
      }
      if (diffs <= 1) {
        return true;
      }
      return diffs == 2 && first + 1 < la && a.charAt(first) == b.charAt(first + 1)
          && a.charAt(first + 1) == b.charAt(first) && a.substring(first + 2).equals(b.substring(first + 2));
    }
    String s = la < lb ? a : b;
    String l = la < lb ? b : a;
    int i = 0;
    while (i < s.length() && s.charAt(i) == l.charAt(i)) {
      i++;
    }
    return s.substring(i).equals(l.substring(i + 1));
  }

  /** Optimal-string-alignment distance: substitutions, insertions, deletions, adjacent transpositions. */
  static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }
}
