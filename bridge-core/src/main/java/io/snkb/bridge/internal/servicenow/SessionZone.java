package io.snkb.bridge.internal.servicenow;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session time zone of an instance's integration user, in which ServiceNow reads the date-time literals
 * of queries. Found once, on first use: the user's {@code sys_user.time_zone}; when that is empty (the user
 * follows the system zone) the property {@code glide.sys.default.tz}; when neither can be read, UTC, with a
 * warning, checked against a row of the table read, since cursor queries would otherwise select the wrong
 * instants without a sign.
 *
 * <p>A retriable failure while looking is thrown to the caller, which tries again later; nothing is cached
 * until an answer is found. Thread-safe: pollers of one instance share it.
 */
public final class SessionZone {
    private static final Logger LOG = LoggerFactory.getLogger(SessionZone.class);
    private static final String DEFAULT_ZONE_PROPERTY = "glide.sys.default.tz";

    private static final int CHECKS = 3;

    private final String instance;
    private final String userName;
    private ZoneId zone;
    /** Neither the user's zone nor the system's could be read: UTC is assumed until a row confirms it. */
    private boolean unreadable;

    /**
     * @param instance the configured instance name, for messages
     * @param userName the integration user's {@code user_name}, or {@code null} when the credentials do not
     *                 name one (OAuth client credentials)
     */
    public SessionZone(String instance, String userName) {
        this.instance = instance;
        this.userName = userName;
    }

    /** A zone known in advance: configured, so never looked up. */
    public static SessionZone fixed(String instance, ZoneId zone) {
        SessionZone fixed = new SessionZone(instance, null);
        fixed.zone = zone;
        return fixed;
    }

    /**
     * The zone, looked up through {@code reader} (the caller's, with its retries) on the first call; throws a
     * retriable exception when the instance cannot answer now. When the zone cannot be read, UTC is assumed
     * and checked against a row of {@code table}: a row must be found by its own {@code sys_updated_on}
     * written as a UTC literal. Throws a {@link FatalServiceNowException} when it is not, since every cursor
     * query would then select the wrong rows; until a row to check with exists, UTC is used unchecked.
     */
    public synchronized ZoneId get(RetryingReader reader, String table) throws InterruptedException {
        if (zone != null) {
            return zone;
        }
        if (!unreadable) {
            Optional<ZoneId> found = lookUp(reader);
            if (found.isPresent()) {
                zone = found.get();
                return zone;
            }
            unreadable = true;
            LOG.warn("Instance '{}': the integration user's time zone cannot be read (sys_user.time_zone, {}); "
                    + "assuming UTC, checked against a row. Set instances[].time-zone to the user's zone (needed "
                    + "for OAuth client credentials), or give the user read access to its sys_user record",
                    instance, DEFAULT_ZONE_PROPERTY);
        }
        if (utcConfirmed(reader, table)) {
            LOG.info("Instance '{}' reads date-times in queries as UTC, as a row of {} shows", instance, table);
            zone = ZoneOffset.UTC;
        }
        return ZoneOffset.UTC;
    }

    private Optional<ZoneId> lookUp(RetryingReader reader) throws InterruptedException {
        Optional<ZoneId> found = userZone(reader);
        String source = "sys_user.time_zone of '" + userName + "'";
        if (found.isEmpty()) {
            found = property(reader);
            source = DEFAULT_ZONE_PROPERTY;
        }
        if (found.isPresent()) {
            LOG.info("Instance '{}' reads query dates in time zone {} ({})", instance, found.get(), source);
        }
        return found;
    }

    /**
     * Whether the latest row of {@code table} is found by its {@code sys_updated_on} written as a UTC literal;
     * {@code false} when there is no row to check with. A row updated between the reads is checked again.
     */
    private boolean utcConfirmed(RetryingReader reader, String table) throws InterruptedException {
        for (int attempt = 0; attempt < CHECKS; attempt++) {
            Optional<Map<String, String>> latest = first(reader.read(new TableRead(table,
                    "ORDERBYDESCsys_updated_on", List.of("sys_id", "sys_updated_on"), 1)));
            String sysId = latest.map(r -> r.get("sys_id")).orElse("");
            String stamp = latest.map(r -> r.get("sys_updated_on")).orElse("");
            if (sysId.isEmpty() || stamp.isEmpty()) {
                return false;
            }
            String byStamp = "sys_id=" + sysId + "^sys_updated_on=" + stamp;
            if (!reader.read(new TableRead(table, byStamp, List.of("sys_id"), 1)).isEmpty()) {
                return true;
            }
            Optional<Map<String, String>> again = first(reader.read(new TableRead(table, "sys_id=" + sysId,
                    List.of("sys_updated_on"), 1)));
            if (again.isPresent() && stamp.equals(again.get().get("sys_updated_on"))) {
                throw new FatalServiceNowException(instance, table, 200, "the integration user's time zone cannot "
                        + "be read (sys_user.time_zone, " + DEFAULT_ZONE_PROPERTY + ") and the instance does not read "
                        + "date-times in queries as UTC: row " + sysId + ", updated " + stamp + " UTC, is not found "
                        + "by sys_updated_on=" + stamp + ". Set instances[].time-zone to the user's time zone", null);
            }
        }
        return false;
    }

    private static Optional<Map<String, String>> first(List<Map<String, String>> rows) {
        return rows.stream().findFirst();
    }

    private Optional<ZoneId> userZone(RetryingReader reader) throws InterruptedException {
        if (userName == null) {
            return Optional.empty();
        }
        return readOne(reader, "sys_user", "user_name=" + userName, "time_zone");
    }

    private Optional<ZoneId> property(RetryingReader reader) throws InterruptedException {
        return readOne(reader, "sys_properties", "name=" + DEFAULT_ZONE_PROPERTY, "value");
    }

    private static Optional<ZoneId> readOne(RetryingReader reader, String table, String query, String field)
            throws InterruptedException {
        List<Map<String, String>> rows;
        try {
            rows = reader.read(new TableRead(table, query, List.of(field), 1));
        } catch (AuthenticationFailedException e) {
            throw e;
        } catch (FatalServiceNowException e) {
            LOG.debug("Cannot read {} for the session zone: {}", table, e.getMessage());
            return Optional.empty();
        }
        return rows.stream().map(r -> r.get(field)).filter(v -> v != null && !v.isBlank()).findFirst()
                .flatMap(SessionZone::parse);
    }

    private static Optional<ZoneId> parse(String value) {
        try {
            return Optional.of(ZoneId.of(value.trim()));
        } catch (DateTimeException e) {
            LOG.warn("Unknown time zone '{}' in ServiceNow", value);
            return Optional.empty();
        }
    }
}
