package io.snkb.bridge.internal.source;

import static io.snkb.bridge.internal.support.Shutdown.closeQuietly;
import static io.snkb.bridge.internal.support.Shutdown.remaining;

import io.snkb.bridge.BackfillProgress;
import io.snkb.bridge.BackfillProgress.State;
import io.snkb.bridge.config.KafkaConfig;
import io.snkb.bridge.internal.kafka.EventProducer;
import io.snkb.bridge.internal.kafka.TopicCreator;
import io.snkb.bridge.internal.servicenow.RetryingReader;
import io.snkb.bridge.internal.servicenow.SessionZone;
import io.snkb.bridge.internal.servicenow.ServiceNowClient;
import io.snkb.bridge.internal.servicenow.ServiceNowException;
import io.snkb.bridge.internal.support.EngineThreads;
import io.snkb.bridge.internal.support.StopSignal;
import io.snkb.bridge.spi.OffsetStore;
import io.snkb.bridge.spi.Position;
import io.snkb.bridge.spi.PositionKey;
import io.snkb.bridge.spi.Serializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one {@link BackfillPlan}: a thread per {@code sys_id} range, one producer, a position writer over the
 * backfill's own offset store.
 *
 * <p>Delivery is at-least-once as for polling: a range's stored position moves only past rows Kafka
 * acknowledged, together with every row read before them in that range. When every range is copied, the
 * positions are written once more and then removed from the store, so the same backfill started later copies
 * again rather than resuming a finished one.
 *
 * <p>Thread-safe: {@link #start()} and {@link #close(Duration)} exclude each other; {@link #progress()} and
 * {@link #awaitFinished(Duration)} may be called from any thread at any time. The job owns, and closes, the
 * store, the producer and what it was given to own.
 */
public final class BackfillJob {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillJob.class);

    private final BackfillPlan plan;
    private final KafkaConfig kafka;
    private final OffsetStore store;
    private final ServiceNowClient client;
    private final AutoCloseable owned;
    private final Serializer serializer;
    private final PollerSettings settings;
    private final EngineThreads threads;
    private final Duration topicTimeout;
    private final StopSignal stop = new StopSignal();
    /** Orders start and close; {@code this} guards the state changes the workers make. */
    private final Object lifecycle = new Object();
    private final SessionZone zone;
    private final List<BackfillRange> ranges = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    /** The rows the ranges may hold parsed at once, shared by all of them (see {@link BackfillRange}). */
    private final Semaphore rowsHeld;
    private EventProducer producer;
    private PositionWriter positions;
    private volatile State state = State.NEW;
    private volatile String error;
    private volatile long expected = -1;
    private volatile long startedNanos;
    private volatile long endedNanos;

    /**
     * @param client the client reading the instance; {@code owned} is closed with the job, typically the
     *               client's token provider
     */
    public BackfillJob(BackfillPlan plan, KafkaConfig kafka, OffsetStore store, ServiceNowClient client,
                       SessionZone zone, AutoCloseable owned, Serializer serializer, PollerSettings settings,
                       EngineThreads threads, Duration topicTimeout) {
        this.owned = owned;
        this.zone = zone;
        this.plan = plan;
        this.rowsHeld = new Semaphore(BackfillRange.rowsHeldLimit(plan.table().pageSize()));
        this.kafka = kafka;
        this.store = store;
        this.client = client;
        this.serializer = serializer;
        this.settings = settings;
        this.threads = threads;
        this.topicTimeout = topicTimeout;
    }

    /**
     * Opens the store, creates the topic if missing, counts the rows left and starts the ranges. Throws
     * {@link IllegalStateException} when the store is in use or Kafka cannot be reached; the job has then
     * released what it opened.
     */
    public void start() {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("The backfill cannot start: it is " + state);
            }
            open();
            startWorkers();
        }
    }

    private void open() {
        try {
            store.open();
            TopicCreator.ensureTopics(kafka, Set.of(plan.table().topic()), topicTimeout);
            producer = new EventProducer(kafka);
            positions = new PositionWriter(store, settings.positionInterval(), this::storeFailed);
            createRanges();
            expected = countRemaining();
        } catch (RuntimeException e) {
            state = State.FAILED;
            error = e.getMessage();
            release(System.nanoTime() + Duration.ofSeconds(5).toNanos());
            throw e;
        }
    }

    private void startWorkers() {
        LOG.info("Backfill of {}/{} into {}: {} ranges, {} rows to copy", plan.instance(), plan.table().name(),
                plan.table().topic(), ranges.size(), expected < 0 ? "an unknown number of" : expected);
        startedNanos = System.nanoTime();
        state = State.RUNNING;
        positions.start(threads);
        for (BackfillRange range : ranges) {
            String name = "snkb-backfill-" + plan.instance() + "-" + plan.table().name() + "-" + range;
            Thread thread = threads.newThread(name, () -> copy(range));
            workers.add(thread);
        }
        workers.forEach(Thread::start);
    }

    /** A snapshot of the job. */
    public BackfillProgress progress() {
        long sent = 0;
        long acknowledged = 0;
        long hidden = 0;
        int done = 0;
        for (BackfillRange range : ranges) {
            sent += range.sent();
            acknowledged += range.acknowledged();
            hidden += range.hidden();
            done += range.completed() ? 1 : 0;
        }
        long started = startedNanos;
        long end = endedNanos != 0 ? endedNanos : System.nanoTime();
        Duration elapsed = started == 0 ? Duration.ZERO : Duration.ofNanos(end - started);
        return new BackfillProgress(state, plan.concurrency(), done, sent, acknowledged, hidden, expected, elapsed,
                error);
    }

    /** Waits until every range ended, at most {@code timeout}; returns whether they all did. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread worker : workers) {
            worker.join(Math.max(1, remaining(deadline).toMillis()));
            if (worker.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops the ranges still reading, waits for records in flight and stores the positions they reached,
     * within {@code timeout}. Returns {@code false} when the timeout ran out first; what was not acknowledged
     * by then is copied again by the next run.
     */
    public boolean close(Duration timeout) {
        synchronized (lifecycle) {
            stopped();
            return release(System.nanoTime() + timeout.toNanos());
        }
    }

    private synchronized void stopped() {
        if (state == State.RUNNING) {
            state = State.STOPPED;
            LOG.info("Stopping the backfill of {}/{}; running it again resumes it", plan.instance(),
                    plan.table().name());
        }
    }

    private void createRanges() {
        for (SysIdRange range : plan.ranges()) {
            PositionKey key = plan.keyOf(range);
            Position stored = store.read(key).orElse(null);
            TableProgress progress = new TableProgress(key, plan.table().topic());
            RetryingReader reader = new RetryingReader(client, settings.retry(), stop);
            BackfillRange copier = new BackfillRange(plan, range, reader, zone, producer, serializer, progress, stop,
                    stored, rowsHeld);
            positions.register(progress, copier::committable);
            ranges.add(copier);
            if (stored != null) {
                LOG.info("Range {} resumes after sys_id {}", range, stored.sysId());
            }
        }
    }

    /**
     * The rows left in every range, for the progress; -1 when ServiceNow does not say. Throws the instance's
     * refusal when it is final (an unknown table, no access to it). The ranges are counted at the same time,
     * each count being one request: one after another they would hold the start back by a round trip each.
     */
    private long countRemaining() {
        ExecutorService counting = Executors.newFixedThreadPool(ranges.size(), task -> {
            Thread thread = new Thread(task, "snkb-backfill-count");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<OptionalLong>> counts = new ArrayList<>();
            for (BackfillRange range : ranges) {
                counts.add(counting.submit(() -> client.count(plan.table().name(), range.remainingQuery())));
            }
            long total = 0;
            for (Future<OptionalLong> future : counts) {
                OptionalLong count = future.get();
                if (count.isEmpty()) {
                    return -1;
                }
                total += count.getAsLong();
            }
            return total;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServiceNowException refused && !refused.isRetriable()) {
                // The rows could not be read either (an unknown table, no access): say so before starting.
                throw refused;
            }
            LOG.info("Cannot count the rows to copy, so no time left can be shown: {}", e.getCause().getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            counting.shutdownNow();
        }
    }

    private void copy(BackfillRange range) {
        MDC.put("snkb.instance", plan.instance());
        MDC.put("snkb.table", plan.table().name());
        try {
            range.copy(settings.ackWait());
            positions.requestFlush();
            if (ranges.stream().allMatch(BackfillRange::completed)) {
                finish();
            }
        } catch (InterruptedException | InterruptException e) {
            LOG.debug("Range {} stopped", range);
        } catch (RuntimeException e) {
            failed(range, e);
        } finally {
            MDC.clear();
        }
    }

    /** Every range is copied: positions are stored a last time, then forgotten. */
    private synchronized void finish() throws InterruptedException {
        if (state != State.RUNNING) {
            return;
        }
        positions.stop(settings.ackWait());
        if (!positions.flush()) {
            failed(null, new IllegalStateException("the last positions could not be stored"));
            return;
        }
        try {
            store.remove(ranges.stream().map(r -> r.progress().key()).toList());
        } catch (RuntimeException e) {
            LOG.warn("The finished backfill's positions stay in {}: {}; running the same backfill again copies "
                    + "nothing unless they are removed", store, e.toString());
        }
        endedNanos = System.nanoTime();
        state = State.COMPLETED;
        BackfillProgress done = progress();
        LOG.info("Backfill of {}/{} completed: {} records in {} s", plan.instance(), plan.table().name(),
                done.acknowledged(), done.elapsed().toSeconds());
    }

    private synchronized void failed(BackfillRange range, RuntimeException e) {
        if (state == State.RUNNING) {
            error = (range == null ? "" : "range " + range + ": ") + e.getMessage();
            state = State.FAILED;
            endedNanos = System.nanoTime();
            String resume = e instanceof ServiceNowException sn && !sn.isRetriable()
                    ? "once the cause is fixed, running it again resumes it" : "running it again resumes it";
            if (expected(e)) {
                LOG.error("Backfill of {}/{} failed: {}; {}", plan.instance(), plan.table().name(), error, resume);
            } else {
                LOG.error("Backfill of {}/{} failed: {}; {}", plan.instance(), plan.table().name(), error, resume,
                        e);
            }
        }
        stop.stop();
        workers.forEach(Thread::interrupt);
    }

    /** Failures whose message says all there is to say: ServiceNow's answers, Kafka's, the serializer's. */
    private static boolean expected(RuntimeException e) {
        return e instanceof ServiceNowException || e instanceof SendFailedException
                || e instanceof SerializerFailedException;
    }

    private void storeFailed(RuntimeException e) {
        failed(null, new IllegalStateException("the offset store failed: " + e.getMessage(), e));
    }

    private boolean release(long deadline) {
        boolean clean = stopWorkers(deadline);
        if (positions != null) {
            try {
                positions.stop(remaining(deadline));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            clean &= state == State.COMPLETED || positions.flush();
        }
        if (producer != null) {
            producer.close(remaining(deadline));
        }
        clean &= closeQuietly("offset store " + store, store);
        clean &= closeQuietly("token provider", owned);
        if (endedNanos == 0 && startedNanos != 0) {
            endedNanos = System.nanoTime();
        }
        return clean;
    }

    private boolean stopWorkers(long deadline) {
        stop.stop();
        boolean clean = true;
        try {
            for (Thread worker : workers) {
                worker.interrupt();
                worker.join(Math.max(1, remaining(deadline).toMillis()));
                clean &= !worker.isAlive();
            }
            for (BackfillRange range : ranges) {
                clean &= range.awaitInFlight(remaining(deadline));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return clean;
    }
}
