package io.snkb.bridge.internal.servicenow;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * ServiceNow's raw date-time text, {@code yyyy-MM-dd HH:mm:ss} in UTC, as sent with
 * {@code sysparm_display_value=false}, and the date-time literals written into encoded queries.
 *
 * <p>Instances differ in how they read a plain literal in a query (some as UTC, some in the session user's
 * time zone), so queries never use one: they use {@code javascript:gs.dateGenerate('date','time')}, which
 * ServiceNow documents as read in the session user's time zone, written in that zone (found by
 * {@link SessionZone}). The one exception is a session zone of UTC itself: there both readings agree, and the
 * plain literal also works on instances and stand-ins that do not evaluate {@code javascript:} values.
 * Thread-safe.
 */
public final class ServiceNowTime {
    private static final DateTimeFormatter RAW =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter LOCAL_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT);
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private ServiceNowTime() {
    }

    /** Parses a raw value such as {@code 2024-03-05 07:00:00}; throws {@link IllegalArgumentException}. */
    public static Instant parse(String raw) {
        Instant plain = parsePlain(raw);
        if (plain != null) {
            return plain;
        }
        try {
            return Instant.from(RAW.parse(raw));
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("Not a ServiceNow date-time (yyyy-MM-dd HH:mm:ss): " + raw, e);
        }
    }

    /**
     * The instant of {@code raw} when it is exactly {@code yyyy-MM-dd HH:mm:ss} in ASCII digits, else
     * {@code null}. Every row's cursor fields are parsed, and this is several times faster than the formatter,
     * which handles (and explains) everything else.
     */
    private static Instant parsePlain(String raw) {
        if (raw == null || raw.length() != 19 || raw.charAt(4) != '-' || raw.charAt(7) != '-'
                || raw.charAt(10) != ' ' || raw.charAt(13) != ':' || raw.charAt(16) != ':') {
            return null;
        }
        int year = digits(raw, 0, 4);
        int month = digits(raw, 5, 2);
        int day = digits(raw, 8, 2);
        int hour = digits(raw, 11, 2);
        int minute = digits(raw, 14, 2);
        int second = digits(raw, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The number written by {@code length} ASCII digits from {@code from}, or -1. */
    private static int digits(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The raw text of {@code time}, truncated to whole seconds. */
    public static String format(Instant time) {
        return RAW.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * {@code time} as a literal inside {@code sysparm_query} for a session user whose time zone is
     * {@code zone}: {@code javascript:gs.dateGenerate('2024-03-05','07:00:00')} with the local date and time,
     * or the raw text when {@code zone} is UTC.
     *
     * @throws IllegalArgumentException when the local time of {@code time} is repeated in {@code zone} (see
     *                                  {@link RepeatedHour}): the literal would name two instants, and which one
     *                                  the instance reads is not documented, so callers widen such bounds first
     */
    public static String queryLiteral(Instant time, ZoneId zone) {
        if (zone.getRules().isFixedOffset() && zone.getRules().getOffset(time).getTotalSeconds() == 0) {
            return format(time);
        }
        if (!RepeatedHour.isUnambiguous(time, zone)) {
            throw new IllegalArgumentException("The local time of " + format(time) + " UTC is repeated in " + zone
                    + " and cannot be written in a query");
        }
        LocalDateTime local = LocalDateTime.ofInstant(time.truncatedTo(ChronoUnit.SECONDS), zone);
        return "javascript:gs.dateGenerate('" + LOCAL_DATE.format(local) + "','" + LOCAL_TIME.format(local) + "')";
    }
}
