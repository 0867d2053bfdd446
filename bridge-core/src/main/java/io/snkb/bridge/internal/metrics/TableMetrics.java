package io.snkb.bridge.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * Counts what one source table does: rows read, events produced or refused, poll cycles, rows hidden by
 * row-level ACLs, and its offset lag. Counters are registered when the recorder is created, so that a
 * rate can be computed from the first scrape on; timers by outcome when an outcome first occurs.
 *
 * <p>Thread-safe: the poller, the producer's callbacks and the scraping thread use it at once.
 */
public final class TableMetrics {
    /** How a poll cycle ended, the {@code outcome} tag of {@code bridge.poll.duration}. */
    public enum PollOutcome {
        /** Read to an empty page, every event acknowledged. */
        CAUGHT_UP,
        /** Read to an empty page, but events still wait for Kafka. */
        UNACKNOWLEDGED,
        /** Ended by a ServiceNow or Kafka failure. */
        FAILED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final EngineMeters meters;
    private final Tags tags;
    private final Counter read;
    private final Counter produced;
    private final Counter failed;
    private final Counter hidden;
    private final Counter deleted;
    private final Map<String, Counter> differences = new ConcurrentHashMap<>();
    private final Map<String, Counter> offsetReads = new ConcurrentHashMap<>();
    private final Counter echoes;
    private final Map<PollOutcome, Timer> polls = new ConcurrentHashMap<>();

    TableMetrics(EngineMeters meters, String instance, String table) {
        this.meters = meters;
        this.tags = Tags.of("instance", instance, "table", table);
        this.read = counter("bridge.records.read", "Rows read from ServiceNow, re-reads included");
        this.produced = counter("bridge.records.produced", "Change events Kafka acknowledged");
        this.failed = counter("bridge.records.failed", "Change events Kafka refused or that could not be serialized");
        this.hidden = counter("bridge.rows.hidden", "Rows row-level ACLs hid from short pages, at least");
        this.deleted = counter("bridge.records.deleted", "Delete events Kafka acknowledged");
        this.echoes = counter("bridge.source.echo.suppressed", "Row versions written by the sink, not sent back");
    }

    /** Meters nobody reads, for parts built without an engine (tests, tools). */
    public static TableMetrics none(String instance, String table) {
        return EngineMeters.none().table(instance, table);
    }

    private Counter counter(String name, String description) {
        return meters.track(Counter.builder(name).description(description).tags(tags).register(meters.registry()));
    }

    public void read(long rows) {
        read.increment(rows);
    }

    public void produced() {
        produced.increment();
    }

    public void failed() {
        failed.increment();
    }

    public void echoSuppressed() {
        echoes.increment();
    }

    public void hidden(long rows) {
        hidden.increment(rows);
    }

    public void deleted() {
        deleted.increment();
    }

    /** Registers the gauge telling whether deletes are captured (1) or not (0); read at each scrape. */
    public void deletesCaptured(java.util.function.BooleanSupplier captured) {
        meters.track(Gauge.builder("bridge.deletes.captured", captured, c -> c.getAsBoolean() ? 1 : 0)
                .description("1 while the table's deletes are read from sys_audit_delete, 0 when they cannot be")
                .tags(tags).strongReference(true).register(meters.registry()));
    }

    /** Reconciliation found {@code rows} differences of {@code kind} ({@code changed} or {@code deleted}). */
    public void reconciliationDifferences(String kind, long rows) {
        differences.computeIfAbsent(kind, k -> meters.track(Counter.builder("bridge.reconciliation.differences")
                .description("Rows a reconciliation pass found changed or gone without an event, and re-emitted")
                .tags(tags).tag("kind", k).register(meters.registry()))).increment(rows);
    }

    /**
     * A page after the next one, read by offset while the table had a backlog, was {@code used} (it began with
     * the next page's last row) or {@code dropped}.
     */
    public void offsetRead(String outcome) {
        offsetReads.computeIfAbsent(outcome, o -> meters.track(Counter.builder("bridge.source.offset.reads")
                .description("Pages read by offset after the next page while a table had a backlog, by whether "
                        + "they continued it")
                .tags(tags).tag("outcome", o).register(meters.registry()))).increment();
    }

    /** One poll cycle took {@code duration} and ended as {@code outcome}. */
    public void poll(Duration duration, PollOutcome outcome) {
        polls.computeIfAbsent(outcome, o -> meters.track(Timer.builder("bridge.poll.duration")
                .description("Poll cycles of a table: every page from the re-read window to an empty page")
                .tags(tags).tag("outcome", o.tag())
                .register(meters.registry()))).record(duration);
    }

    /** Registers the offset lag gauge; {@code seconds} is read at each scrape. */
    public void lag(DoubleSupplier seconds) {
        meters.track(Gauge.builder("bridge.offset.lag", seconds, DoubleSupplier::getAsDouble)
                .description("How far the committed position is behind ServiceNow")
                .baseUnit("seconds").tags(tags).strongReference(true).register(meters.registry()));
    }
}
