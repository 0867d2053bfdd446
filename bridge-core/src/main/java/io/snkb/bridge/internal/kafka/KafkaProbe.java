package io.snkb.bridge.internal.kafka;

import io.snkb.bridge.config.KafkaConfig;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;

/**
 * Tells whether the Kafka cluster answers, by asking for its nodes with a short timeout. Results are kept
 * for {@code cacheFor}, so that frequent health probes do not turn into a stream of metadata requests.
 *
 * <p>Thread-safe: checks are serialized. Owns its admin client, created at the first check; closed by the
 * engine.
 */
public final class KafkaProbe implements AutoCloseable {
    private final KafkaConfig config;
    private final Duration timeout;
    private final Duration cacheFor;
    private Admin admin;
    private Result last;
    private long lastAtNanos;
    private boolean closed;

    /** A probe result: reachable, or the reason it is not. */
    public record Result(boolean reachable, String problem) {
    }

    public KafkaProbe(KafkaConfig config, Duration timeout, Duration cacheFor) {
        this.config = config;
        this.timeout = timeout;
        this.cacheFor = cacheFor;
    }

    /** Checks the cluster, or returns a result at most {@code cacheFor} old; blocks at most the timeout. */
    public synchronized Result check() {
        if (closed) {
            return new Result(false, "the engine is closed");
        }
        if (last != null && System.nanoTime() - lastAtNanos < cacheFor.toNanos()) {
            return last;
        }
        last = probe();
        lastAtNanos = System.nanoTime();
        return last;
    }

    private Result probe() {
        try {
            if (admin == null) {
                admin = Admin.create(TopicCreator.adminProperties(config, timeout));
            }
            var options = new DescribeClusterOptions().timeoutMs((int) timeout.toMillis());
            int nodes = admin.describeCluster(options).nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            return nodes > 0 ? new Result(true, null) : new Result(false, "the cluster reports no brokers");
        } catch (ExecutionException e) {
            return new Result(false, "no answer from " + config.bootstrapServers() + ": " + e.getCause());
        } catch (TimeoutException e) {
            return new Result(false, "no answer from " + config.bootstrapServers() + " within "
                    + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted while checking Kafka");
        } catch (KafkaException e) {
            return new Result(false, "cannot create a Kafka client: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
