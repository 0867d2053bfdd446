package io.snkb.testkit.servicenow;

/**
 * Which instant the simulator reads for a local date-time that its user's zone repeats, as in the hour when
 * daylight saving ends (America/New_York, 2026-11-01 01:30 is 05:30 and 06:30 UTC). ServiceNow does not
 * document its choice, so tests run against both.
 */
public enum RepeatedHourReading {
    /** The first occurrence, still at the summer offset. */
    EARLIER,
    /** The second occurrence, at the winter offset. */
    LATER
}
