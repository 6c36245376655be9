package io.telebridge.mllp.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The simulator's rules in force, in the order added; each with its uses left (thread-safe). */
final class SimRules {

  private final List<ActiveRule> rules = new ArrayList<>();

  void add(SimRule rule) {
    synchronized (rules) {
      rules.add(new ActiveRule(rule));
    }
  }

  void clear() {
    synchronized (rules) {
      rules.clear();
    }
  }

  /** Rules with uses left, described. */
  List<String> describe() {
    synchronized (rules) {
      rules.removeIf(r -> r.remaining.get() == 0);
      return rules.stream().map(r -> r.rule.times(r.remaining.get()).describe()).toList();
    }
  }

  /** The first rule matching the message that still has a use left (and uses it), or null: answer AA. */
  SimRule pick(String controlId, List<String> patients) {
    synchronized (rules) {
      for (ActiveRule r : rules) {
        if (r.rule.matches(controlId, patients) && r.use()) {
          return r.rule;
        }
      }
      return null;
    }
  }

  private static final class ActiveRule {
    final SimRule rule;
    final AtomicInteger remaining;

    ActiveRule(SimRule rule) {
      this.rule = rule;
      this.remaining = new AtomicInteger(rule.times());
    }

    boolean use() {
      while (true) {
        int left = remaining.get();
        if (left < 0) {
          return true; // unlimited
        }
        if (left == 0) {
          return false;
        }
        if (remaining.compareAndSet(left, left - 1)) {
          return true;
        }
      }
    }
  }
}
