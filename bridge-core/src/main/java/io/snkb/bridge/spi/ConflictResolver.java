package io.snkb.bridge.spi;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decides what the sink does when a row it is about to overwrite changed in ServiceNow after the Kafka
 * event was produced.
 *
 * <p>Called from sink worker threads, at most once at a time for the same row but concurrently for
 * different rows: implementations must be thread-safe. An exception thrown here sends the record to the
 * dead letter queue with the exception as the reason; nothing is written to ServiceNow for it.
 */
public interface ConflictResolver {

    /** The decision for one conflict. */
    Resolution resolve(Conflict conflict);

    /**
     * A row about to be overwritten, with both versions.
     *
     * @param instance  the configured instance name
     * @param table     the ServiceNow table
     * @param sysId     the row's {@code sys_id}
     * @param current   the row as ServiceNow holds it now (raw values)
     * @param incoming  the fields the event would write
     * @param eventTime when the event was produced
     */
    record Conflict(String instance, String table, String sysId, Map<String, String> current,
                    Map<String, String> incoming, Instant eventTime) {
        public Conflict {
            current = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(current, "current")));
            incoming = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(incoming, "incoming")));
        }
    }

    /**
     * What to do.
     *
     * @param decision what the sink does
     * @param fields   the fields to write when {@code decision} is {@link Decision#APPLY}; may be a subset
     *                 of the incoming fields (a per-field system of record)
     * @param reason   a short explanation, recorded with skipped and reviewed events
     */
    record Resolution(Decision decision, Map<String, String> fields, String reason) {
        public Resolution {
            Objects.requireNonNull(decision, "decision");
            fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    /** The possible decisions. */
    enum Decision {
        /** Write {@link Resolution#fields()} to ServiceNow. */
        APPLY,
        /** Leave ServiceNow's row as it is and drop the event. */
        SKIP,
        /** Leave the row as it is and send the conflict to the review topic for a person to decide. */
        REVIEW
    }
}
