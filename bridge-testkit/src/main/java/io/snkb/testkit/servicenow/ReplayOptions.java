package io.snkb.testkit.servicenow;

/**
 * How {@link IncidentHistoryReplay} applies events: as fast as possible or at a steady rate, with historical
 * {@code sys_*} stamps or stamps from the simulator clock, optionally only the first events. Immutable.
 *
 * @param eventsPerSecond the pace, or 0 for as fast as possible
 * @param historicalStamps whether rows carry the CSV's {@code sys_updated_on}, {@code sys_created_on},
 *        {@code sys_mod_count}, {@code sys_created_by} and {@code sys_updated_by} (true) or are stamped by the
 *        simulator clock as ordinary writes (false)
 * @param maxEvents how many events to apply at most, or 0 for all
 */
public record ReplayOptions(double eventsPerSecond, boolean historicalStamps, int maxEvents) {

    public ReplayOptions {
        if (eventsPerSecond < 0 || Double.isNaN(eventsPerSecond)) {
            throw new IllegalArgumentException("eventsPerSecond must be 0 (instant) or positive");
        }
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents must not be negative");
        }
    }

    /** All events, as fast as possible, with historical stamps. */
    public static ReplayOptions instant() {
        return new ReplayOptions(0, true, 0);
    }

    /** All events at {@code eventsPerSecond}, with historical stamps. */
    public static ReplayOptions rate(double eventsPerSecond) {
        if (eventsPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        return new ReplayOptions(eventsPerSecond, true, 0);
    }

    /** The same options, stamping rows with the simulator clock instead of the CSV's times. */
    public ReplayOptions stampedByClock() {
        return new ReplayOptions(eventsPerSecond, false, maxEvents);
    }

    /** The same options, stopping after the first {@code n} events. */
    public ReplayOptions firstEvents(int n) {
        return new ReplayOptions(eventsPerSecond, historicalStamps, n);
    }
}
