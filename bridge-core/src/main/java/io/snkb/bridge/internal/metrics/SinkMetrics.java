package io.snkb.bridge.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * Counts what the sink does with the records of one topic: rows written by kind of write, records that
 * failed, records dead-lettered, echoes suppressed and conflicts by resolution; and the consumer lag of
 * each partition. Tags are the configured instance, table and topic, a bounded kind, and the partition
 * number: never a {@code sys_id} or an error message.
 *
 * <p>Thread-safe: sink workers, the consumer thread and the scraping thread use it at once.
 */
public final class SinkMetrics {
    /** The kinds of write, the {@code operation} tag of {@code bridge.sink.records.written}. */
    public enum Write { CREATED, UPDATED, DELETED, UNCHANGED }

    private final EngineMeters meters;
    private final Tags tags;
    private final Counter failed;
    private final Counter deadLettered;
    private final Counter echoes;
    private final Map<Write, Counter> written = new ConcurrentHashMap<>();
    private final Map<String, Counter> conflicts = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> lagRegistered = new ConcurrentHashMap<>();

    SinkMetrics(EngineMeters meters, String instance, String table, String topic) {
        this.meters = meters;
        this.tags = Tags.of("instance", instance, "table", table, "topic", topic);
        this.failed = counter("bridge.sink.records.failed", "Records that could not be written to ServiceNow",
                Tags.empty());
        this.deadLettered = counter("bridge.sink.records.dead.lettered",
                "Records sent to the dead letter topic and acknowledged by Kafka", Tags.empty());
        this.echoes = counter("bridge.sink.echo.suppressed",
                "Records not written because they came from the table they would be written to", Tags.empty());
        for (Write write : Write.values()) {
            written.put(write, counter("bridge.sink.records.written", "Records written to ServiceNow, by kind",
                    Tags.of("operation", write.name().toLowerCase(Locale.ROOT))));
        }
    }

    /** Meters nobody reads, for parts built without an engine (tests, tools). */
    public static SinkMetrics none(String instance, String table, String topic) {
        return EngineMeters.none().sink(instance, table, topic);
    }

    private Counter counter(String name, String description, Tags extra) {
        return meters.track(Counter.builder(name).description(description).tags(tags).tags(extra)
                .register(meters.registry()));
    }

    public void written(Write write) {
        written.get(write).increment();
    }

    public void failed() {
        failed.increment();
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public void echoSuppressed() {
        echoes.increment();
    }

    /** A conflict was decided as {@code resolution} (a decision name, a bounded set). */
    public void conflict(String resolution) {
        conflicts.computeIfAbsent(resolution.toLowerCase(Locale.ROOT), r -> counter("bridge.sink.conflicts",
                "Rows changed in ServiceNow after the event, by resolution", Tags.of("resolution", r)))
                .increment();
    }

    /** Registers the lag gauge of {@code partition} once; {@code records} is read at each scrape. */
    public void lag(int partition, DoubleSupplier records) {
        lagRegistered.computeIfAbsent(partition, p -> {
            meters.track(Gauge.builder("bridge.sink.consumer.lag", records, DoubleSupplier::getAsDouble)
                    .description("Records of a partition not yet fully handled by the sink")
                    .baseUnit("records").tags(tags).tag("partition", String.valueOf(p))
                    .strongReference(true).register(meters.registry()));
            return true;
        });
    }
}
