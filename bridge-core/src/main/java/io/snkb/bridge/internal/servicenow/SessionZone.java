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
 * warning, since cursor queries may then select the wrong instants.
 *
 * <p>A retriable failure while looking is thrown to the caller, which tries again later; nothing is cached
 * until an answer is found. Thread-safe: pollers of one instance share it.
 */
public final class SessionZone {
    private static final Logger LOG = LoggerFactory.getLogger(SessionZone.class);
    private static final String DEFAULT_ZONE_PROPERTY = "glide.sys.default.tz";

    private final String instance;
    private final String userName;
    private ZoneId zone;

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
     * retriable exception when the instance cannot answer now.
     */
    public synchronized ZoneId get(RetryingReader reader) throws InterruptedException {
        if (zone == null) {
            zone = lookUp(reader);
        }
        return zone;
    }

    private ZoneId lookUp(RetryingReader reader) throws InterruptedException {
        Optional<ZoneId> found = userZone(reader);
        String source = "sys_user.time_zone of '" + userName + "'";
        if (found.isEmpty()) {
            found = property(reader);
            source = DEFAULT_ZONE_PROPERTY;
        }
        if (found.isPresent()) {
            LOG.info("Instance '{}' reads query dates in time zone {} ({})", instance, found.get(), source);
            return found.get();
        }
        LOG.warn("Instance '{}': the integration user's time zone cannot be read (sys_user.time_zone, {}); "
                + "assuming UTC. Set instances[].time-zone to the user's zone (needed for OAuth client "
                + "credentials), or give the user read access to its sys_user record, or cursor queries may "
                + "select the wrong instants", instance, DEFAULT_ZONE_PROPERTY);
        return ZoneOffset.UTC;
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
