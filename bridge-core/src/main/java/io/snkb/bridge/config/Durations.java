package io.snkb.bridge.config;

import java.time.Duration;

/**
 * Durations written the way the configuration file writes them, for other inputs such as command-line
 * options: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code 0} or ISO-8601.
 */
public final class Durations {
    private Durations() {
    }

    /**
     * Reads {@code text}.
     *
     * @throws IllegalArgumentException naming the accepted forms when {@code text} is none of them
     */
    public static Duration parse(String text) {
        try {
            return ValueType.parseDuration(text);
        } catch (ValueException e) {
            throw new IllegalArgumentException("Invalid duration '" + text + "': " + e.getMessage(), e);
        }
    }

    /** The shortest exact form of {@code duration} in those units. */
    public static String format(Duration duration) {
        return ValueType.formatDuration(duration);
    }
}
