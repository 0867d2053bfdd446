package io.snkb.bridge.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snkb.bridge.config.AuthConfig;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.HttpConfig;
import io.snkb.bridge.config.InstanceConfig;
import io.snkb.bridge.config.KafkaConfig;
import io.snkb.bridge.config.OffsetsConfig;
import io.snkb.bridge.config.Secret;
import io.snkb.bridge.config.SinkConfig;
import io.snkb.bridge.config.SinkTopicConfig;
import io.snkb.bridge.config.SinkTopicConfig.Operation;
import io.snkb.bridge.config.SourceConfig;
import io.snkb.testkit.kafka.EmbeddedKafka;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sink throughput with a slow ServiceNow: every write takes 100 ms in the simulator, 32 rows are written
 * at once. Prints records per second, the ratio to the ideal 32 / 0.1 s, whether every key's writes kept
 * their order, and CPU time per record. Not a test: run it by hand (see {@code docs/benchmarks.md}).
 *
 * <p>Arguments: {@code [keys] [records-per-key] [concurrency] [write-latency-ms]}, default 1000 4 32 100.
 */
public final class SinkBenchmark {
    private SinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int perKey = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int latencyMs = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int total = keys * perKey;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start();
             ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0).threads(concurrency * 2)
                     .user("bench", "pw", ZoneId.of("UTC")).build().start()) {
            sim.faults().writeLatency(Duration.ofMillis(latencyMs));
            SimTable table = sim.table("incident");
            String topic = "bench.alerts";
            kafka.createTopic(topic, 8);
            produce(kafka.bootstrapServers(), topic, keys, perKey);

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuBefore = processCpuNanos();
            long started = System.nanoTime();
            long sinkCpu;
            long firstWrite;
            long lastWrite;
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (EngineRuntime engine = new EngineRuntime(config(kafka, sim, topic, concurrency), null, Map.of(),
                    null, null, Clock.systemUTC(), SinkTestSupport.FAST, registry)) {
                engine.start();
                // Watched through the sink's own counter: copying the simulator's write log would hold its
                // lock and take CPU from what is measured.
                while (written(registry) == 0) {
                    Thread.sleep(2);
                }
                firstWrite = System.nanoTime();
                while (written(registry) < total) {
                    Thread.sleep(10);
                }
                lastWrite = System.nanoTime();
                sinkCpu = sinkThreadCpuNanos(threads);
            }
            long cpu = processCpuNanos() - cpuBefore;
            report(table, total, keys, perKey, concurrency, latencyMs, (lastWrite - started) / 1e9, cpu, sinkCpu);
            System.out.printf(Locale.ROOT, "start-up: %.2f s from engine start to the first write answered%n",
                    (firstWrite - started) / 1e9);
            double steady = (total - 1) / ((lastWrite - firstWrite) / 1e9);
            double ideal = concurrency / (latencyMs / 1000.0);
            System.out.printf(Locale.ROOT, "from the first write answered to the last (start-up and group join "
                    + "left out): %.1f records/s, ratio %.1f %%%n", steady, 100 * steady / ideal);
        }
    }

    private static void report(SimTable table, int total, int keys, int perKey, int concurrency, int latencyMs,
                               double seconds, long processCpu, long sinkCpu) {
        double rate = total / seconds;
        double ideal = concurrency / (latencyMs / 1000.0);
        System.out.printf(Locale.ROOT, "records: %d (%d keys x %d), concurrency %d, %d ms per write%n",
                total, keys, perKey, concurrency, latencyMs);
        System.out.printf(Locale.ROOT, "from engine start to the last write: %.2f s, %.1f records/s, ideal %.0f/s, "
                + "ratio %.1f %%%n",
                seconds, rate, ideal, 100 * rate / ideal);
        System.out.printf(Locale.ROOT, "per-key order kept: %s, rows: %d, writes: %d%n", orderKept(table, perKey),
                table.size(), table.writes().size());
        System.out.printf(Locale.ROOT, "CPU per record: sink threads %.0f us, whole process %.0f us "
                + "(broker and simulator included)%n", sinkCpu / 1e3 / total, processCpu / 1e3 / total);
    }

    private static double written(SimpleMeterRegistry registry) {
        return registry.find("bridge.sink.records.written").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static boolean orderKept(SimTable table, int perKey) {
        Map<String, List<Integer>> seen = new HashMap<>();
        for (Map<String, String> write : table.writes()) {
            seen.computeIfAbsent(write.get("correlation_id"), k -> new ArrayList<>())
                    .add(Integer.parseInt(write.get("u_seq")));
        }
        return seen.values().stream().allMatch(s -> s.size() == perKey
                && java.util.stream.IntStream.range(0, perKey).allMatch(i -> s.get(i) == i));
    }

    private static void produce(String bootstrap, String topic, int keys, int perKey) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int seq = 0; seq < perKey; seq++) {
                for (int k = 0; k < keys; k++) {
                    String key = "key-" + k;
                    String value = "{\"correlation_id\": \"" + key + "\", \"u_seq\": \"" + seq + "\"}";
                    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                            value.getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
    }

    private static BridgeConfig config(EmbeddedKafka kafka, ServiceNowSimulator sim, String topic, int concurrency)
            throws Exception {
        AuthConfig auth = new AuthConfig(AuthConfig.Type.BASIC, "bench", Secret.of("pw"), null, null, null, null);
        InstanceConfig instance = new InstanceConfig("dev", sim.baseUrl(), auth, Duration.ofSeconds(5),
                Duration.ofSeconds(30), List.of());
        SinkTopicConfig mapping = new SinkTopicConfig(topic, "dev", "incident", Operation.UPSERT,
                List.of("correlation_id"), concurrency);
        return new BridgeConfig(List.of(instance), new KafkaConfig(kafka.bootstrapServers(), Map.of()),
                new SourceConfig(false, "snkb.{instance}.{table}"),
                new SinkConfig(true, "bench", "bench.dlq", List.of(mapping)),
                new OffsetsConfig(OffsetsConfig.Type.FILE, Files.createTempDirectory("snkb-bench")),
                new HttpConfig(false, "127.0.0.1", 0), Duration.ofSeconds(10));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of the sink's consumer and worker threads, while they still run. */
    private static long sinkThreadCpuNanos(ThreadMXBean threads) {
        long sum = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("snkb-sink")) {
                sum += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return sum;
    }
}
