package io.snkb.bridge.internal.sink;

import io.snkb.bridge.SinkTopicStatus;
import io.snkb.bridge.config.KafkaConfig;
import io.snkb.bridge.config.SinkConfig;
import io.snkb.bridge.config.SinkTopicConfig;
import io.snkb.bridge.internal.metrics.EngineMeters;
import io.snkb.bridge.internal.metrics.SinkMetrics;
import io.snkb.bridge.internal.servicenow.RetryingCalls;
import io.snkb.bridge.internal.servicenow.ServiceNowClient;
import io.snkb.bridge.internal.support.EngineThreads;
import io.snkb.bridge.internal.support.StopSignal;
import io.snkb.bridge.spi.ConflictResolver;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The running sink: its consumer thread and the workers of every topic. Built from the configuration
 * with the engine's ServiceNow clients, so that the sink and the source share each instance's rate limit.
 *
 * <p>Thread-safe. Owns its threads, consumer and dead letter producer, not the clients.
 */
public final class Sink {
    private final SinkRunner runner;
    private final Thread thread;
    private final List<SinkTopic> topics;

    private Sink(SinkRunner runner, Thread thread, List<SinkTopic> topics) {
        this.runner = runner;
        this.thread = thread;
        this.topics = topics;
    }

    /**
     * Builds the sink of {@code config}; {@code clients} holds a client for every instance a topic writes to.
     * Nothing runs before {@link #start()}.
     */
    public static Sink create(SinkConfig config, KafkaConfig kafka, Map<String, ServiceNowClient> clients,
                              SinkSettings settings, EngineThreads threads, EngineMeters meters, Clock clock,
                              ConflictResolver custom, SinkWrites writes) {
        StopSignal stop = new StopSignal();
        DeadLetters deadLetters = new DeadLetters(kafka, config.dlqTopic(), clock);
        RowWriter.Reviews reviews = (conflict, reason) ->
                deadLetters.review(config.reviewTopic(), conflict, reason, settings.deadLetterTimeout());
        Map<String, SinkTopic> topics = new LinkedHashMap<>();
        for (SinkTopicConfig topic : config.topics()) {
            ServiceNowClient client = clients.get(topic.instance());
            SinkMetrics metrics = meters.sink(topic.instance(), topic.table(), topic.topic());
            RowWriter writer = new RowWriter(topic, new RetryingCalls(client, settings.retry(), stop),
                    resolver(topic, custom), writes, reviews, metrics, new Semaphore(topic.concurrency(), true));
            KeyedLanes lanes = new KeyedLanes("snkb-sink-" + topic.topic(), workers(topic.concurrency()), threads);
            topics.put(topic.topic(), new SinkTopic(topic, writer, lanes, metrics, new SinkTopicProgress(topic)));
        }
        SinkRunner runner = new SinkRunner(config, kafka, topics, deadLetters, settings, stop);
        return new Sink(runner, threads.newThread("snkb-sink", runner), List.copyOf(topics.values()));
    }

    /**
     * Workers beyond the write slots look up their rows while every slot waits for an answer, so that a slot
     * that frees finds its next row looked up already. A quarter more keeps the slots busy while a look-up
     * takes up to a quarter of a write, and bounds how long a looked-up row waits for its write.
     */
    static int workers(int concurrency) {
        return concurrency + Math.max(1, concurrency / 4);
    }

    private static ConflictResolver resolver(SinkTopicConfig topic, ConflictResolver custom) {
        if (topic.conflict() != SinkTopicConfig.Conflict.CUSTOM) {
            return new BuiltInResolver(topic.conflict(), topic.conflictFields());
        }
        if (custom == null) {
            throw new IllegalStateException("Sink topic '" + topic.topic() + "' uses conflict: custom, but no "
                    + "ConflictResolver was given to the engine builder");
        }
        return custom;
    }

    public void start() {
        topics.forEach(t -> t.progress().running());
        thread.start();
    }

    /** The state of every topic, in configuration order. */
    public List<SinkTopicStatus> status() {
        return topics.stream().map(t -> t.progress().snapshot()).toList();
    }

    /** The state of every topic of a sink not built yet: all {@code NEW}. */
    public static List<SinkTopicStatus> statusBeforeStart(SinkConfig config) {
        return config.topics().stream().map(SinkTopicProgress::notStarted).toList();
    }

    /** Whether the consumer thread runs. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /**
     * Stops consuming; writes under way get until {@code timeout} to finish, what finished is committed,
     * the rest is delivered again on the next start. True when everything ended in time.
     */
    public boolean close(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        runner.stop(timeout);
        if (thread.isAlive() && thread != Thread.currentThread()) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000) + 5_000);
        }
        return !thread.isAlive() && runner.stoppedCleanly();
    }
}
