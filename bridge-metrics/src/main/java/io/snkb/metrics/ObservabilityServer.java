package io.snkb.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snkb.bridge.BridgeEngine;
import io.snkb.bridge.EngineHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one engine's observability over HTTP with the JDK's built-in server:
 * <ul>
 *   <li>{@code GET /metrics}: the registry in the Prometheus text format;</li>
 *   <li>{@code GET /health}: liveness, 200 when {@link EngineHealth#live()}, otherwise 503;</li>
 *   <li>{@code GET /ready}: readiness, 200 when {@link EngineHealth#ready()}, otherwise 503.</li>
 * </ul>
 * Health and readiness answer JSON with per-table detail. Requests are served on two daemon threads, so a
 * slow Kafka check cannot hold up a scrape for long.
 *
 * <p>Thread-safe. Owns its HTTP server and threads, which {@link #close()} stops; does not own the engine
 * or the registry.
 */
public final class ObservabilityServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ObservabilityServer.class);
    private static final String JSON = "application/json; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final BridgeEngine engine;
    private final PrometheusMeterRegistry registry;

    private ObservabilityServer(HttpServer server, ExecutorService executor, BridgeEngine engine,
                                PrometheusMeterRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.engine = engine;
        this.registry = registry;
    }

    /**
     * Starts serving on {@code host}:{@code port} ({@code 0}: a free port). The engine should have been built
     * with {@code registry} as its meter registry. Throws {@link UncheckedIOException} when the port is taken.
     */
    public static ObservabilityServer start(String host, int port, BridgeEngine engine,
                                            PrometheusMeterRegistry registry) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(registry, "registry");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve metrics and health on " + host + ":" + port + ": " + e, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "snkb-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        ObservabilityServer observability = new ObservabilityServer(server, executor, engine, registry);
        server.createContext("/metrics", observability::metrics);
        server.createContext("/health", exchange -> observability.health(exchange, ObservabilityServer::liveness));
        server.createContext("/ready", exchange -> observability.health(exchange, ObservabilityServer::readiness));
        server.start();
        LOG.info("Serving /metrics, /health and /ready at {}", observability.baseUri());
        return observability;
    }

    /** Where the server listens, e.g. {@code http://127.0.0.1:8080}. */
    public URI baseUri() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().isAnyLocalAddress() ? "localhost" : address.getHostString();
        return URI.create("http://" + host + ":" + address.getPort());
    }

    /** The port bound, useful when 0 was asked for. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void metrics(HttpExchange exchange) throws IOException {
        if (refusedMethod(exchange)) {
            return;
        }
        respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    private void health(HttpExchange exchange, Function<EngineHealth, Answer> render) throws IOException {
        if (refusedMethod(exchange)) {
            return;
        }
        Answer answer = render.apply(engine.health());
        respond(exchange, answer.ok() ? 200 : 503, JSON, answer.body());
    }

    private record Answer(boolean ok, String body) {
    }

    private static Answer liveness(EngineHealth health) {
        return new Answer(health.live(), HealthJson.liveness(health));
    }

    private static Answer readiness(EngineHealth health) {
        return new Answer(health.ready(), HealthJson.readiness(health));
    }

    private static boolean refusedMethod(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return false;
        }
        exchange.getResponseHeaders().add("Allow", "GET, HEAD");
        respond(exchange, 405, "text/plain; charset=utf-8", "Only GET and HEAD are served\n");
        return true;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }
}
