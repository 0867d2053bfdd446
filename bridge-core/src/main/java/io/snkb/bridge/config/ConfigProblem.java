package io.snkb.bridge.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration file. Immutable.
 *
 * @param path   where it is, e.g. {@code instances[0].base-url}; for a YAML syntax error the line and column,
 *               for a file that cannot be read its name
 * @param value  the offending value as written (after substitution), {@code ******} for secrets, or
 *               {@code null} when there is none (a missing value, an unknown key, a syntax error)
 * @param reason what is wrong, e.g. {@code must be an http or https URL}
 * @param kind   which kind of problem it is; decides how {@link #message()} reads
 */
public record ConfigProblem(String path, String value, String reason, Kind kind) {

    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(kind, "kind");
    }

    /** The kinds of problem. */
    public enum Kind { INVALID_VALUE, MISSING_VALUE, UNKNOWN_KEY, SYNTAX, UNREADABLE }

    static ConfigProblem invalid(String path, String shownValue, String reason) {
        return new ConfigProblem(path, shownValue, reason, Kind.INVALID_VALUE);
    }

    static ConfigProblem missing(String path, String reason) {
        return new ConfigProblem(path, null, reason, Kind.MISSING_VALUE);
    }

    static ConfigProblem unknownKey(String path, String reason) {
        return new ConfigProblem(path, null, reason, Kind.UNKNOWN_KEY);
    }

    static ConfigProblem syntax(int line, int column, String reason) {
        return new ConfigProblem("line " + line + ", column " + column, null, reason, Kind.SYNTAX);
    }

    static ConfigProblem unreadable(String file, String reason) {
        return new ConfigProblem(file, null, reason, Kind.UNREADABLE);
    }

    /** One line for a person, e.g. {@code Invalid value 'ftp://x' for 'instances[0].base-url': must be ...}. */
    public String message() {
        return switch (kind) {
            case INVALID_VALUE -> "Invalid value '" + value + "' for '" + path + "': " + reason;
            case MISSING_VALUE -> "Missing value for '" + path + "': " + reason;
            case UNKNOWN_KEY -> "Unknown key '" + path + "': " + reason;
            case SYNTAX -> "Invalid YAML at " + path + ": " + reason;
            case UNREADABLE -> "Cannot read '" + path + "': " + reason;
        };
    }

    @Override
    public String toString() {
        return message();
    }
}
