package io.snkb.cli;

import io.snkb.bridge.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads durations on the command line the way the configuration file does: {@code 500ms}, {@code 2m}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Durations.parse(value);
    }
}
