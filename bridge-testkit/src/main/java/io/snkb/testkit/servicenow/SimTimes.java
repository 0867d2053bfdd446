package io.snkb.testkit.servicenow;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** ServiceNow's raw date-time form: UTC, {@code yyyy-MM-dd HH:mm:ss}, one-second precision. Stateless. */
final class SimTimes {

    static final DateTimeFormatter RAW = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Pattern RAW_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private SimTimes() {
    }

    static String format(Instant instant) {
        return RAW.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }

    static boolean isRaw(String value) {
        return value != null && RAW_SHAPE.matcher(value).matches();
    }

    /** The instant of a raw value, or null when {@code value} is not one. */
    static Instant parseRaw(String value) {
        if (!isRaw(value)) {
            return null;
        }
        try {
            return LocalDateTime.parse(value, RAW).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Normalizes a date-time literal of a query to the raw UTC form: {@code yyyy-MM-dd HH:mm:ss} as is,
     * {@code yyyy-MM-dd} as midnight UTC; anything else is returned unchanged.
     */
    static String normalizeLiteral(String literal) {
        if (literal != null && DATE_SHAPE.matcher(literal).matches()) {
            return literal + " 00:00:00";
        }
        return literal;
    }

    /**
     * Reads a local date and time in {@code zone} and answers its raw UTC form; a local time the zone repeats is
     * read as {@code reading} says.
     */
    static String localToRaw(String date, String time, ZoneId zone, RepeatedHourReading reading) {
        LocalDate d = LocalDate.parse(date);
        LocalTime t = LocalTime.parse(time);
        ZonedDateTime local = LocalDateTime.of(d, t).atZone(zone);
        return format((reading == RepeatedHourReading.LATER ? local.withLaterOffsetAtOverlap()
                : local.withEarlierOffsetAtOverlap()).toInstant());
    }
}
