package io.snkb.bridge.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration could not be loaded. Carries every problem found, not just the first; its message lists
 * them one per line. Secret values never appear in it. Immutable.
 */
public final class ConfigException extends RuntimeException {

    private final String sourceName;
    private final transient List<ConfigProblem> problems;

    public ConfigException(String sourceName, List<ConfigProblem> problems) {
        super(describe(sourceName, problems));
        this.sourceName = sourceName;
        this.problems = List.copyOf(problems);
    }

    /** The file name, or whatever the caller named the text it parsed. */
    public String sourceName() {
        return sourceName;
    }

    /** Every problem, in the order they were found; never empty. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(String sourceName, List<ConfigProblem> problems) {
        String count = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
        String heading = "Invalid configuration in " + sourceName + " (" + count + "):\n";
        return problems.stream().map(p -> "  " + p.message()).collect(Collectors.joining("\n", heading, ""));
    }
}
