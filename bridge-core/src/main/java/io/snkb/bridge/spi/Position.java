package io.snkb.bridge.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A keyset position in a ServiceNow table ordered by {@code sys_updated_on, sys_id}: everything up to and
 * including the row ({@code updatedOn}, {@code sysId}) has been handed to Kafka and acknowledged.
 *
 * <p>ServiceNow stamps rows at one-second precision, so many rows share one {@code updatedOn}; the
 * {@code sysId} orders those ties. Immutable and thread-safe.
 *
 * @param updatedOn the {@code sys_updated_on} of the last row, in UTC, whole seconds
 * @param sysId     the {@code sys_id} of the last row
 */
public record Position(Instant updatedOn, String sysId) implements Comparable<Position> {

    public Position {
        Objects.requireNonNull(updatedOn, "updatedOn");
        Objects.requireNonNull(sysId, "sysId");
        if (updatedOn.getNano() != 0) {
            throw new IllegalArgumentException("ServiceNow times have whole seconds: " + updatedOn);
        }
    }

    @Override
    public int compareTo(Position other) {
        int byTime = updatedOn.compareTo(other.updatedOn);
        return byTime != 0 ? byTime : sysId.compareTo(other.sysId);
    }

    /** Whether this position lies strictly after {@code other} in keyset order. */
    public boolean isAfter(Position other) {
        return compareTo(other) > 0;
    }
}
