package io.snkb.bridge;

/**
 * The state of one topic the sink writes into ServiceNow, part of {@link EngineStatus} and
 * {@link EngineHealth}. Immutable.
 *
 * <p>Like a source table, a sink topic whose writes the instance refuses the credentials for is
 * {@link EngineState#RETRYING}: its records are held, not dead-lettered, and written once the credentials
 * are accepted again, which turns it back to {@link EngineState#RUNNING}.
 *
 * @param topic              the consumed Kafka topic
 * @param instance           the configured instance it writes to
 * @param table              the ServiceNow table it writes to
 * @param state              {@code NEW} before the sink starts, {@code RUNNING}, {@code RETRYING} while the
 *                           credentials are refused, {@code STOPPED} once the sink stopped
 * @param credentialsRefused whether the instance refused the credentials on the topic's last write attempt
 * @param lastError          the last error, without secrets, or {@code null}
 */
public record SinkTopicStatus(String topic, String instance, String table, EngineState state,
                              boolean credentialsRefused, String lastError) {

    /** Writing, with credentials the instance accepts. */
    public boolean ready() {
        return state == EngineState.RUNNING && !credentialsRefused;
    }
}
