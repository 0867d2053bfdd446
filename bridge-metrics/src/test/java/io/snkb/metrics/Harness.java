package io.snkb.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snkb.bridge.BridgeEngine;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.ConfigLoader;
import io.snkb.bridge.spi.TokenProvider;
import io.snkb.testkit.kafka.EmbeddedKafka;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An engine on the simulator and the shared embedded broker, with a Prometheus registry and the
 * observability server on a free port; closes all three.
 */
final class Harness implements AutoCloseable {
    static final String USER = "snkb.metrics";
    static final String PASSWORD = "metrics-test-pw";
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String topic = "metrics-test-" + TOPICS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    /** Records here are written into the table {@code problem} when the harness runs a sink. */
    final String sinkTopic = topic + "-alerts";
    final String dlqTopic = topic + "-dlq";
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final BridgeEngine engine;
    final ObservabilityServer server;

    Harness(ServiceNowSimulator sim, Path offsets, Clock clock, Map<String, TokenProvider> tokenProviders) {
        this(sim, offsets, clock, tokenProviders, 200);
    }

    Harness(ServiceNowSimulator sim, Path offsets, Clock clock, Map<String, TokenProvider> tokenProviders,
            int pageSize) {
        this(sim, offsets, clock, tokenProviders, pageSize, false);
    }

    Harness(ServiceNowSimulator sim, Path offsets, Clock clock, Map<String, TokenProvider> tokenProviders,
            int pageSize, boolean withSink) {
        String yaml = config(sim, offsets, pageSize) + (withSink ? sinkConfig() : "");
        BridgeConfig config = ConfigLoader.parse(yaml, "test configuration");
        BridgeEngine.Builder builder = BridgeEngine.builder().config(config).meterRegistry(registry).clock(clock);
        tokenProviders.forEach(builder::tokenProvider);
        engine = builder.build();
        engine.start();
        server = ObservabilityServer.start("127.0.0.1", 0, engine, registry);
    }

    static ServiceNowSimulator.Builder simulator() {
        return ServiceNowSimulator.builder().port(0).user(USER, PASSWORD, ZoneOffset.UTC);
    }

    private String config(ServiceNowSimulator sim, Path offsets, int pageSize) {
        return String.join("\n",
                "instances:",
                "  - name: dev",
                "    base-url: " + sim.baseUrl(),
                "    auth:",
                "      type: basic",
                "      username: " + USER,
                "      password: " + PASSWORD,
                "    tables:",
                "      - name: incident",
                "        topic: " + topic,
                "kafka:",
                "  bootstrap-servers: " + EmbeddedKafka.shared().bootstrapServers(),
                "source:",
                "  poll-interval: 100ms",
                "  page-size: " + pageSize,
                "offsets:",
                "  directory: " + offsets,
                "");
    }

    private String sinkConfig() {
        return String.join("\n",
                "sink:",
                "  enabled: true",
                "  group-id: " + topic + "-sink",
                "  dlq-topic: " + dlqTopic,
                "  review-topic: " + topic + "-review",
                "  topics:",
                "    - topic: " + sinkTopic,
                "      instance: dev",
                "      table: problem",
                "      key-fields: [correlation_id]",
                "");
    }

    HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code value} keyed {@code k} to the sink's topic and waits for Kafka to take it. */
    void sendToSink(String value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.shared().bootstrapServers());
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(sinkTopic, "k", value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot send to " + sinkTopic, e);
        }
    }

    String scrape() {
        return get("/metrics").body();
    }

    /**
     * The value of the sample {@code name} of instance dev (and of its table incident, for per-table meters) in
     * the scraped text, or -1 without one.
     */
    double sample(String name) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher matcher = line.matcher(scrape());
        while (matcher.find()) {
            String labels = matcher.group(1);
            boolean table = !labels.contains("table=") || labels.contains("table=\"incident\"");
            if (labels.contains("instance=\"dev\"") && table) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        return -1;
    }

    /** Every sample name in the scraped text. */
    static Set<String> sampleNames(String scraped) {
        Set<String> names = new TreeSet<>();
        for (String line : scraped.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    @Override
    public void close() {
        server.close();
        engine.close();
        registry.close();
    }
}
