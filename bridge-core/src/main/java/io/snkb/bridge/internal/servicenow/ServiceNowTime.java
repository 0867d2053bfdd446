package io.snkb.bridge.internal.servicenow;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * ServiceNow's raw date-time text, {@code yyyy-MM-dd HH:mm:ss} in UTC, as sent with
 * {@code sysparm_display_value=false} and as written into encoded queries.
 *
 * <p>Query literals are kept in this one place because instances differ in how they read a plain literal
 * (some in the session user's time zone); should that need a different form, only
 * {@link #queryLiteral(Instant)} changes. Thread-safe.
 */
public final class ServiceNowTime {
    private static final DateTimeFormatter RAW =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ServiceNowTime() {
    }

    /** Parses a raw value such as {@code 2024-03-05 07:00:00}; throws {@link IllegalArgumentException}. */
    public static Instant parse(String raw) {
        try {
            return Instant.from(RAW.parse(raw));
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("Not a ServiceNow date-time (yyyy-MM-dd HH:mm:ss): " + raw, e);
        }
    }

    /** The raw text of {@code time}, truncated to whole seconds. */
    public static String format(Instant time) {
        return RAW.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@code time} as a literal inside {@code sysparm_query}, read by the instance as UTC. */
    public static String queryLiteral(Instant time) {
        return format(time);
    }
}
