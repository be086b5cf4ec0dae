package io.gfs.dist.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One admin command's arguments: positional words, switches ({@code -files}, {@code --wait}) and options with a value
 * ({@code --replication 3}). Only the names a command declares are accepted, so a typo is a usage error, not a
 * silently ignored flag. A leading single or double dash is the same ({@code -wait} = {@code --wait}).
 */
final class Args {
  private final List<String> positional = new ArrayList<>();
  private final Set<String> switches = new HashSet<>();
  private final Map<String, String> options = new HashMap<>();

  private Args() {}

  static Args parse(List<String> words, Set<String> switchNames, Set<String> optionNames) throws UsageException {
    Args args = new Args();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (!word.startsWith("-") || word.equals("-")) {
        args.positional.add(word);
        continue;
      }
      String name = word.replaceFirst("^--?", "");
      if (switchNames.contains(name)) {
        args.switches.add(name);
      } else if (optionNames.contains(name)) {
        if (i + 1 >= words.size()) {
          throw new UsageException(word + " needs a value");
        }
        args.options.put(name, words.get(++i));
      } else {
        throw new UsageException("unknown option '" + word + "'");
      }
    }
    return args;
  }

  boolean has(String switchName) {
    return switches.contains(switchName);
  }

  String option(String name) {
    return options.get(name);
  }

  int count() {
    return positional.size();
  }

  /** The positional word at index, or a usage error naming what is missing. */
  String word(int index, String what) throws UsageException {
    if (index >= positional.size()) {
      throw new UsageException("missing " + what);
    }
    return positional.get(index);
  }

  String wordOr(int index, String fallback) {
    return index < positional.size() ? positional.get(index) : fallback;
  }

  /** No more than max positional words. */
  void atMost(int max) throws UsageException {
    if (positional.size() > max) {
      throw new UsageException("unexpected argument '" + positional.get(max) + "'");
    }
  }
}
