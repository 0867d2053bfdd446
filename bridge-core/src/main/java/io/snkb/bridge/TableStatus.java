package io.snkb.bridge;

import io.snkb.bridge.spi.Position;
import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of one source table. Immutable.
 *
 * @param instance         the configured instance name
 * @param table            the ServiceNow table
 * @param topic            the Kafka topic it is written to
 * @param state            its state
 * @param lastError        the last error, without secrets, or {@code null}
 * @param position         the last durably stored position, or {@code null} before the first
 * @param recordsRead      rows read from ServiceNow since start, re-reads included
 * @param recordsProduced  events Kafka has acknowledged since start
 * @param lastPollAt       when the last poll finished, or {@code null}
 * @param deletes          whether deletes reach Kafka
 * @param deletesProblem   why deletes are not captured, or {@code null}
 * @param lastErrorAt      when {@code lastError} happened, or {@code null}; a table that recovered keeps its last
 *                         error, so this tells an old one from a new one
 */
public record TableStatus(String instance, String table, String topic, EngineState state, String lastError,
                          Position position, long recordsRead, long recordsProduced, Instant lastPollAt,
                          DeleteCapture deletes, String deletesProblem, Instant lastErrorAt) {

    /** A status that says nothing about deletes beyond "captured". */
    public TableStatus(String instance, String table, String topic, EngineState state, String lastError,
                       Position position, long recordsRead, long recordsProduced, Instant lastPollAt) {
        this(instance, table, topic, state, lastError, position, recordsRead, recordsProduced, lastPollAt,
                DeleteCapture.CAPTURED, null, null);
    }

    public Optional<String> lastErrorIfAny() {
        return Optional.ofNullable(lastError);
    }
}
