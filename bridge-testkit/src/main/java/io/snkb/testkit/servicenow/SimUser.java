package io.snkb.testkit.servicenow;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * An API user of the simulated instance: its credentials and the session preferences ServiceNow applies to it
 * (time zone and date format, which shape display values and {@code gs.dateGenerate} in queries).
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the password.
 */
public final class SimUser {

    /** ServiceNow's out-of-the-box date format. */
    public static final String DEFAULT_DATE_FORMAT = "yyyy-MM-dd";

    private final String name;
    private final String password;
    private final ZoneId timeZone;
    private final String dateFormat;
    private final DateTimeFormatter displayFormatter;

    private SimUser(Builder b) {
        this.name = requireText(b.name, "name");
        this.password = Objects.requireNonNull(b.password, "password");
        this.timeZone = Objects.requireNonNull(b.timeZone, "timeZone");
        this.dateFormat = Objects.requireNonNull(b.dateFormat, "dateFormat");
        this.displayFormatter = DateTimeFormatter.ofPattern(dateFormat + " HH:mm:ss");
    }

    /** Starts a user named {@code name} (its {@code user_name}); password "", zone UTC, date format yyyy-MM-dd. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The login name. */
    public String name() {
        return name;
    }

    /** The session time zone (ServiceNow: the user's {@code time_zone}). */
    public ZoneId timeZone() {
        return timeZone;
    }

    /** The date part of the user's display format, a {@link DateTimeFormatter} pattern. */
    public String dateFormat() {
        return dateFormat;
    }

    boolean passwordMatches(String candidate) {
        return password.equals(candidate);
    }

    DateTimeFormatter displayFormatter() {
        return displayFormatter;
    }

    @Override
    public String toString() {
        return "SimUser[" + name + ", zone=" + timeZone + ", dateFormat=" + dateFormat + "]";
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    /** Builder for {@link SimUser}; not thread-safe, {@link #build()} copies its state. */
    public static final class Builder {
        private final String name;
        private String password = "";
        private ZoneId timeZone = ZoneOffset.UTC;
        private String dateFormat = DEFAULT_DATE_FORMAT;

        private Builder(String name) {
            this.name = name;
        }

        /** The Basic-auth (and OAuth password grant) password. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The session time zone; default UTC. */
        public Builder timeZone(ZoneId zone) {
            this.timeZone = zone;
            return this;
        }

        /** The date format, for example {@code dd-MM-yyyy}; the time part is always {@code HH:mm:ss}. */
        public Builder dateFormat(String pattern) {
            DateTimeFormatter.ofPattern(pattern);
            this.dateFormat = pattern;
            return this;
        }

        public SimUser build() {
            return new SimUser(this);
        }
    }
}
