package io.snkb.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Reads a point in time given on the command line: ServiceNow's raw form {@code 2024-03-05 07:00:00} (UTC),
 * ISO-8601 with an offset ({@code 2024-03-05T08:00:00+01:00}) or a date ({@code 2024-03-05}, midnight UTC).
 * ServiceNow stamps rows in whole seconds, so fractions are cut off.
 */
final class TimestampConverter implements CommandLine.ITypeConverter<Instant> {
    private static final DateTimeFormatter RAW = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

    @Override
    public Instant convert(String value) {
        String text = value.trim();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (text.length() == 19 && text.charAt(10) == ' ') {
                return LocalDateTime.parse(text, RAW).toInstant(ZoneOffset.UTC);
            }
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a time: use 'yyyy-MM-dd HH:mm:ss' "
                    + "(UTC), 'yyyy-MM-dd' or ISO-8601 with an offset, e.g. 2024-03-05T07:00:00Z");
        }
    }
}
