package io.snkb.bridge.internal.sink;

import io.snkb.bridge.config.KafkaConfig;
import io.snkb.bridge.config.SinkConfig;
import io.snkb.bridge.internal.metrics.SinkMetrics;
import io.snkb.bridge.internal.servicenow.AuthenticationFailedException;
import io.snkb.bridge.internal.servicenow.ServiceNowException;
import io.snkb.bridge.internal.sink.DeadLetters.DeadLetterFailedException;
import io.snkb.bridge.internal.sink.DeadLetters.Failure;
import io.snkb.bridge.internal.support.StopSignal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The sink's consumer loop. One {@link KafkaConsumer} in the sink's group reads every mapped topic; each
 * record is read on the consumer thread, then handed to the lane of the row it targets, so one row's
 * records are written one after another in offset order while other rows are written in parallel.
 *
 * <p>At least once: offsets are committed per partition up to the lowest record not yet written or
 * dead-lettered ({@link PartitionOffsets}), periodically, when partitions are revoked and when stopping.
 * Work in flight is never committed: after a crash or a rebalance it is delivered again, and the writer's
 * look-ups make the repeat harmless. A dead letter Kafka does not acknowledge is sent again until it is;
 * its partition commits nothing past it meanwhile.
 *
 * <p>{@link #run()} runs on the engine's sink thread; {@link #stop()} may be called from any thread.
 */
public final class SinkRunner implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkRunner.class);
    private static final Duration MAX_AUTH_PAUSE = Duration.ofMinutes(10);

    /** Credential refusals in a row, over every worker: they share the instance's credentials. */
    private final AtomicInteger refusals = new AtomicInteger();
    private final SinkConfig config;
    private final KafkaConfig kafka;
    private final Map<String, SinkTopic> topics;
    private final DeadLetters deadLetters;
    private final SinkSettings settings;
    private final StopSignal stop;
    private final Map<TopicPartition, PartitionOffsets> partitions = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> lags = new ConcurrentHashMap<>();
    private volatile Consumer<byte[], byte[]> consumer;
    private long lastCommit = System.nanoTime();
    private volatile long deadline = System.nanoTime();
    private volatile boolean clean = true;
    private boolean paused;

    SinkRunner(SinkConfig config, KafkaConfig kafka, Map<String, SinkTopic> topics, DeadLetters deadLetters,
               SinkSettings settings, StopSignal stop) {
        this.config = config;
        this.kafka = kafka;
        this.topics = Map.copyOf(topics);
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.stop = stop;
    }

    /** The consumer settings: the configured properties, then what the sink needs. */
    static Map<String, Object> consumerProperties(KafkaConfig kafka, String groupId) {
        Map<String, Object> properties = new LinkedHashMap<>(kafka.properties());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "snkb-sink");
        properties.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return properties;
    }

    @Override
    public void run() {
        try (Consumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(kafka, config.groupId()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            try {
                c.subscribe(topics.keySet(), new Rebalance());
                LOG.info("Sink consuming {} in group {}", topics.keySet(), config.groupId());
                while (!stop.isStopped()) {
                    pollOnce(c);
                }
            } catch (WakeupException e) {
                LOG.debug("Sink consumer woken up to stop");
            } catch (KafkaException e) {
                LOG.error("The sink consumer failed, nothing more is written: {}", e.toString());
            } finally {
                drain(c);
            }
        } finally {
            consumer = null;
            deadLetters.close();
            topics.values().forEach(t -> t.progress().stopped());
        }
    }

    /**
     * Asks {@link #run()} to end: workers get until {@code timeout} to finish the writes they started,
     * then are interrupted; what they finished is committed. Any thread.
     */
    public void stop(Duration timeout) {
        deadline = System.nanoTime() + timeout.toNanos();
        stop.stop();
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Whether every worker ended in time during the last stop. */
    public boolean stoppedCleanly() {
        return clean;
    }

    private void drain(Consumer<byte[], byte[]> c) {
        boolean ended = true;
        try {
            for (SinkTopic topic : topics.values()) {
                ended &= topic.lanes().shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        clean = ended;
        try {
            commit(c, partitions.values());
        } catch (WakeupException e) {
            commit(c, partitions.values());
        }
    }

    private void pollOnce(Consumer<byte[], byte[]> c) {
        throttle(c);
        for (ConsumerRecord<byte[], byte[]> record : c.poll(settings.pollTimeout())) {
            dispatch(record);
        }
        if (System.nanoTime() - lastCommit >= settings.commitInterval().toNanos()) {
            commit(c, partitions.values());
            updateLags(c);
        }
    }

    /** Pauses fetching while too many records wait for workers, so memory stays bounded. */
    private void throttle(Consumer<byte[], byte[]> c) {
        boolean full = topics.values().stream().anyMatch(t -> t.lanes().inFlight() >= settings.maxQueued());
        if (full && !paused) {
            c.pause(c.assignment());
            paused = true;
        } else if (!full && paused) {
            c.resume(c.paused());
            paused = false;
        }
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PartitionOffsets offsets = partitions.computeIfAbsent(tp, PartitionOffsets::new);
        SinkTopic topic = topics.get(record.topic());
        SinkEvent event = null;
        RecordRejectedException undecodable = null;
        try {
            event = SinkRecordReader.read(record);
        } catch (RecordRejectedException e) {
            undecodable = e;
        }
        Object lane = laneOf(topic, event, record);
        offsets.dispatched(record.offset());
        SinkEvent read = event;
        RecordRejectedException rejected = undecodable;
        topic.lanes().submit(lane, () -> handle(topic, record, offsets, read, rejected));
    }

    private static Object laneOf(SinkTopic topic, SinkEvent event, ConsumerRecord<byte[], byte[]> record) {
        String rowKey = event == null ? null : topic.rowKey(event);
        if (rowKey != null) {
            return rowKey;
        }
        if (record.key() != null) {
            return "b\u0000" + new String(record.key(), StandardCharsets.ISO_8859_1);
        }
        return "p\u0000" + record.partition();
    }

    /** On a worker: writes or dead-letters one record, then marks it handled. */
    private void handle(SinkTopic topic, ConsumerRecord<byte[], byte[]> record, PartitionOffsets offsets,
                        SinkEvent event, RecordRejectedException undecodable) {
        if (offsets.revoked() || stop.isStopped()) {
            return;
        }
        MDC.put("snkb.instance", topic.config().instance());
        MDC.put("snkb.table", topic.config().table());
        try {
            if (undecodable != null) {
                deadLetter(topic, record, Failure.of(undecodable, 0, 0));
            } else {
                write(topic, record, event);
            }
            offsets.completed(record.offset());
        } catch (InterruptedException e) {
            LOG.debug("Stopped while handling {}-{}@{}; it is delivered again", record.topic(),
                    record.partition(), record.offset());
            Thread.currentThread().interrupt();
        } finally {
            MDC.clear();
        }
    }

    private void write(SinkTopic topic, ConsumerRecord<byte[], byte[]> record, SinkEvent event)
            throws InterruptedException {
        SinkMetrics metrics = topic.metrics();
        if (event.cameFrom(topic.config().instance(), topic.config().table())) {
            // The source read this change from the very table it would be written to: writing it back
            // would only echo it, and in two-way sync start a loop.
            metrics.echoSuppressed();
            return;
        }
        AtomicInteger attempts = new AtomicInteger();
        while (true) {
            try {
                metrics.written(topic.writer().write(event, attempts));
                credentialsAccepted(topic);
                return;
            } catch (AuthenticationFailedException e) {
                credentialsRefused(topic, record, e);
            } catch (RecordRejectedException e) {
                if (e.httpStatus() > 0) {
                    // The instance judged the write, so it took the credentials.
                    credentialsAccepted(topic);
                }
                deadLetter(topic, record, Failure.of(e, e.httpStatus(), attempts.get()));
                return;
            } catch (ServiceNowException e) {
                deadLetter(topic, record, Failure.of(e, e.httpStatus(), attempts.get()));
                return;
            } catch (RuntimeException e) {
                LOG.warn("Writing {}-{}@{} failed unexpectedly", record.topic(), record.partition(),
                        record.offset(), e);
                deadLetter(topic, record, Failure.of(e, 0, attempts.get()));
                return;
            }
        }
    }

    private void deadLetter(SinkTopic topic, ConsumerRecord<byte[], byte[]> record, Failure failure)
            throws InterruptedException {
        topic.metrics().failed();
        LOG.warn("Record {}-{}@{} goes to dead letter topic {}: {}", record.topic(), record.partition(),
                record.offset(), deadLetters.topic(), failure.message());
        while (true) {
            try {
                deadLetters.send(record, failure, settings.deadLetterTimeout());
                topic.metrics().deadLettered();
                return;
            } catch (DeadLetterFailedException e) {
                LOG.warn("{}; sending again in {} ms, not committing past it", e.getMessage(),
                        settings.pause().toMillis());
                pause();
            }
        }
    }

    /**
     * Refused credentials do not cure themselves, and every attempt may count towards locking the account:
     * the record is held, and the pause doubles with each refusal in a row across all workers, up to
     * {@link #MAX_AUTH_PAUSE}. The first refusal of a run is a warning, the rest are logged at DEBUG.
     */
    private void credentialsRefused(SinkTopic topic, ConsumerRecord<byte[], byte[]> record,
                                    AuthenticationFailedException e) throws InterruptedException {
        topic.progress().credentialsRefused("Credentials refused writing " + record.topic() + "-"
                + record.partition() + "@" + record.offset() + ": " + e.getMessage());
        int inARow = refusals.incrementAndGet();
        long doublings = Math.min(20, inARow - 1);
        Duration wait = settings.pause().multipliedBy(1L << doublings);
        wait = wait.compareTo(MAX_AUTH_PAUSE) > 0 ? MAX_AUTH_PAUSE : wait;
        if (inARow == 1) {
            LOG.warn("Credentials refused while writing {}-{}@{}; holding it and trying again after a pause that "
                    + "grows with each refusal: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        } else {
            LOG.debug("Credentials refused again ({} in a row), next try in {} ms", inARow, wait.toMillis());
        }
        if (stop.await(wait)) {
            throw new InterruptedException("stopped");
        }
    }

    private void credentialsAccepted(SinkTopic topic) {
        refusals.set(0);
        if (topic.progress().credentialsAccepted()) {
            LOG.info("Credentials accepted again: writing topic {} into {}/{}", topic.config().topic(),
                    topic.config().instance(), topic.config().table());
        }
    }

    private void pause() throws InterruptedException {
        if (stop.await(settings.pause())) {
            throw new InterruptedException("stopped");
        }
    }

    /** Commits, for each partition, the offset of the lowest record not fully handled. */
    void commit(Consumer<byte[], byte[]> c, Collection<PartitionOffsets> which) {
        lastCommit = System.nanoTime();
        Map<PartitionOffsets, Long> moved = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionOffsets p : which) {
            long committable = p.committable();
            if (committable >= 0 && !p.revoked() && p.isAhead(committable)) {
                moved.put(p, committable);
                offsets.put(p.partition(), new OffsetAndMetadata(committable));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            c.commitSync(offsets);
            moved.forEach(PartitionOffsets::committed);
            LOG.debug("Committed {}", offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("Committing sink offsets failed; the records are delivered again: {}", e.toString());
        }
    }

    /** Refreshes the lag gauges; a partition whose position is not known yet keeps its last value. */
    private void updateLags(Consumer<byte[], byte[]> c) {
        try {
            refreshLags(c);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            LOG.debug("Sink lag not refreshed: {}", e.toString());
        }
    }

    private void refreshLags(Consumer<byte[], byte[]> c) {
        for (PartitionOffsets p : partitions.values()) {
            TopicPartition tp = p.partition();
            c.currentLag(tp).ifPresent(lag -> {
                long position = c.position(tp, Duration.ofMillis(100));
                // Nothing dispatched since the assignment: nothing is in flight between position and commit.
                long committable = p.committable() < 0 ? position : p.committable();
                lags.put(tp, lag + Math.max(0, position - committable));
                topics.get(tp.topic()).metrics().lag(tp.partition(), () -> lags.getOrDefault(tp, 0L));
            });
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            Consumer<byte[], byte[]> c = consumer;
            var mine = revoked.stream().map(partitions::get).filter(java.util.Objects::nonNull).toList();
            if (c != null) {
                commit(c, mine);
            }
            forget(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            LOG.info("Sink assigned {}", assigned);
            assigned.forEach(tp -> partitions.put(tp, new PartitionOffsets(tp)));
        }

        private void forget(Collection<TopicPartition> gone) {
            for (TopicPartition tp : gone) {
                PartitionOffsets p = partitions.remove(tp);
                if (p != null) {
                    p.revoke();
                }
            }
        }
    }
}
