package io.snkb.bridge;

import java.time.Instant;

/**
 * The health of one source table, part of {@link EngineHealth}. Immutable.
 *
 * @param instance           the configured instance name
 * @param table              the ServiceNow table
 * @param state              its state
 * @param polled             whether the engine polls it ({@code false} when the source is disabled)
 * @param pollerAlive        whether its poller thread is alive
 * @param credentialsRefused whether the instance refused the credentials on the last attempt
 * @param lagSeconds         how far its committed position is behind ServiceNow, in seconds
 * @param lastError          the last error, without secrets, or {@code null}
 * @param deletes            whether deletes reach Kafka; {@link DeleteCapture#NOT_CAPTURED} does not make the
 *                           table unready (its records still flow) but is shown by every health answer
 * @param deletesProblem     why deletes are not captured, or {@code null}
 * @param lastErrorAt        when {@code lastError} happened, or {@code null}
 */
public record TableHealth(String instance, String table, EngineState state, boolean polled, boolean pollerAlive,
                          boolean credentialsRefused, double lagSeconds, String lastError, DeleteCapture deletes,
                          String deletesProblem, Instant lastErrorAt) {

    /** A health entry that says nothing about deletes beyond "captured". */
    public TableHealth(String instance, String table, EngineState state, boolean polled, boolean pollerAlive,
                       boolean credentialsRefused, double lagSeconds, String lastError) {
        this(instance, table, state, polled, pollerAlive, credentialsRefused, lagSeconds, lastError,
                DeleteCapture.CAPTURED, null, null);
    }

    /** A table that should be polling has a poller thread that can still make progress. */
    public boolean live() {
        boolean shouldPoll = polled && (state == EngineState.RUNNING || state == EngineState.RETRYING);
        return !shouldPoll || pollerAlive;
    }

    /** Running, or knowingly not polled. */
    public boolean ready() {
        return polled ? state == EngineState.RUNNING && pollerAlive && !credentialsRefused
                : state == EngineState.STOPPED || state == EngineState.NEW;
    }
}
