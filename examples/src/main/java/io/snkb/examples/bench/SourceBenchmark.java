package io.snkb.examples.bench;

import io.snkb.testkit.kafka.EmbeddedKafka;
import io.snkb.testkit.servicenow.Seeder;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the source path: the simulator and a Kafka broker run here, the bridge in a child JVM with
 * {@code -Xmx256m} (see {@link BenchBridge}), so that the child's process CPU time and heap are the bridge's.
 * Prints records per second, bridge CPU per record and peak heap per scenario, with the target of each.
 *
 * <p>Arguments: the scenarios to run, any of {@code poll-fast poll-150ms backfill-fast backfill-150ms
 * backfill-1m poll-1m}; all of them by default. Not a test: figures depend on the machine and its load.
 * With {@code -Dbench.timeline=true} the bridge JVM also prints, every 250 ms, the records acknowledged so far,
 * its CPU time and its JIT compiler's, to show where the first seconds of a run go.
 */
public final class SourceBenchmark {
    private static final int RECORDS = 100_000;
    private static final int MILLION = 1_000_000;
    private static final int PAGE_SIZE = 1000;
    /**
     * The million-row backfill reads ServiceNow's largest pages: the heap target is about the bridge holding wide
     * pages while Kafka catches up.
     */
    private static final int MILLION_PAGE_SIZE = 10_000;
    private static final int CONCURRENCY = 4;
    private static final Duration LATENCY = Duration.ofMillis(150);
    private static final String USER = "bench";
    private static final String PASSWORD = "bench-pw";
    /** The parameters the bridge sends with every page it reads. */
    private static final String BRIDGE_PARAMS =
            "sysparm_display_value=false&sysparm_exclude_reference_link=true&sysparm_no_count=true";

    private final EmbeddedKafka kafka;
    private final Path work;
    private int runs;

    private SourceBenchmark(EmbeddedKafka kafka, Path work) {
        this.kafka = kafka;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        List<String> scenarios = args.length > 0 ? List.of(args)
                : List.of("poll-fast", "poll-150ms", "backfill-fast", "backfill-150ms", "backfill-1m", "poll-1m");
        Path work = Files.createTempDirectory("snkb-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            SourceBenchmark bench = new SourceBenchmark(kafka, work);
            System.out.println("scenario        records  seconds  records/s  target/s  steady rec/s  CPU µs/rec"
                    + "  steady CPU µs/rec  heap MiB: peak used / live after GC / max");
            try (ServiceNowSimulator sim = simulator(RECORDS)) {
                simulatorAlone(sim);
                for (String scenario : scenarios) {
                    if (!scenario.endsWith("-1m")) {
                        bench.run(sim, scenario, RECORDS);
                    }
                }
            }
            List<String> millions = scenarios.stream().filter(s -> s.endsWith("-1m")).toList();
            if (!millions.isEmpty()) {
                try (ServiceNowSimulator sim = simulator(MILLION)) {
                    for (String scenario : millions) {
                        bench.run(sim, scenario, MILLION);
                    }
                }
            }
        }
        System.exit(0);
    }

    private static ServiceNowSimulator simulator(int incidents) throws IOException, InterruptedException {
        ServiceNowSimulator sim = ServiceNowSimulator.builder().port(0).threads(8)
                .user(USER, PASSWORD, ZoneId.of("UTC")).maxLimit(10_000).build().start();
        Seeder.builder().incidents(incidents).descriptionLength(100)
                .stamped(Instant.parse("2024-01-01T00:00:00Z"), 50).build().seed(sim);
        readOnce(sim, incidents);
        System.gc();
        return sim;
    }

    /**
     * Reads the whole table once as the bridge asks for it. The simulator writes a row's JSON at its first read
     * and keeps it until the row changes, so the scenarios then meet it at its steady cost per page, which is
     * what the configured latency is added to.
     */
    private static void readOnce(ServiceNowSimulator sim, int incidents) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        for (int offset = 0; offset < incidents; offset += MILLION_PAGE_SIZE) {
            http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api/now/table/incident?"
                    + BRIDGE_PARAMS + "&sysparm_limit=" + MILLION_PAGE_SIZE + "&sysparm_offset=" + offset
                    + "&sysparm_query=ORDERBYsys_id")).header("Authorization", basicAuth()).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    private static String basicAuth() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * How long the simulator itself takes to answer one page of each kind, without added latency: the part of
     * every request's time that is neither the bridge's nor the configured latency.
     */
    private static void simulatorAlone(ServiceNowSimulator sim) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String auth = basicAuth();
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("poll page", "sys_updated_on>=2024-01-01 00:10:00^ORDERBYsys_updated_on^ORDERBYsys_id");
        pages.put("backfill range page", "sys_id>=40^sys_id<80^ORDERBYsys_id");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            URI uri = URI.create(sim.baseUrl() + "/api/now/table/incident?sysparm_limit=" + PAGE_SIZE
                    + "&" + BRIDGE_PARAMS + "&sysparm_query="
                    + URLEncoder.encode(page.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
            long total = 0;
            for (int i = 0; i < 6; i++) {
                long started = System.nanoTime();
                http.send(HttpRequest.newBuilder(uri).header("Authorization", auth).build(),
                        HttpResponse.BodyHandlers.discarding());
                total += i == 0 ? 0 : System.nanoTime() - started;
            }
            System.out.printf(Locale.ROOT, "simulator alone, one %d-row %s of %d: %.0f ms%n", PAGE_SIZE,
                    page.getKey(), RECORDS, total / 5 / 1e6);
        }
    }

    private void run(ServiceNowSimulator sim, String scenario, int expected) throws Exception {
        sim.faults().clear();
        boolean slow = scenario.endsWith("150ms");
        if (slow) {
            sim.faults().latency(LATENCY);
        }
        boolean backfill = scenario.startsWith("backfill");
        int pageSize = backfill && expected == MILLION ? MILLION_PAGE_SIZE : PAGE_SIZE;
        Path config = writeConfig(sim, "bench-" + scenario + "-" + (++runs) + "-" + System.nanoTime() % 100_000,
                pageSize);
        Map<String, String> result = child(backfill ? "backfill" : "poll", config, expected);
        long records = Long.parseLong(result.get("records"));
        double seconds = Double.parseDouble(result.get("seconds"));
        double perSecond = records / seconds;
        double target = !slow ? Double.NaN
                : (backfill ? 0.75 * CONCURRENCY : 0.9) * pageSize / (LATENCY.toMillis() / 1000.0);
        double cpuMicros = Long.parseLong(result.get("cpu_ns")) / 1000.0 / records;
        long steadyRecords = Long.parseLong(result.get("steady_records"));
        double steadyRate = steadyRecords / Double.parseDouble(result.get("steady_seconds"));
        double steadyCpu = Long.parseLong(result.get("steady_cpu_ns")) / 1000.0 / Math.max(1, steadyRecords);
        System.out.printf(Locale.ROOT, "%-14s %8d %8.1f %10.0f %9s %13.0f %11.1f %18.1f %12s%n", scenario,
                records, seconds, perSecond, Double.isNaN(target) ? "-" : String.format(Locale.ROOT, "%.0f", target),
                steadyRate, cpuMicros, steadyCpu, mib(result.get("peak_heap")) + " / " + mib(result.get("peak_live"))
                        + " / " + mib(result.get("max_heap")));
        long jitNanos = Long.parseLong(result.getOrDefault("jit_ns", "-1"));
        if (jitNanos >= 0) {
            double steadyJit = Long.parseLong(result.get("steady_jit_ns")) / 1000.0 / Math.max(1, steadyRecords);
            double jitMicros = jitNanos / 1000.0 / records;
            System.out.printf(Locale.ROOT, "%-14s of which the JIT compiler: %.1f µs/rec (%.1f s), steady %.1f"
                    + " µs/rec; without it %.1f µs/rec, steady %.1f%n", "", jitMicros, jitNanos / 1e9, steadyJit,
                    cpuMicros - jitMicros, steadyCpu - steadyJit);
        }
        if (!backfill && result.containsKey("table_ms")) {
            // The instance's own time adds to the latency it was given: say what a page really took.
            double pageMillis = Double.parseDouble(result.get("table_ms"));
            System.out.printf(Locale.ROOT, "%-14s a Table API read took %.1f ms on average as the bridge measured it;"
                    + " steady rate = %.0f %% of page_size / that time (two reads in flight while a backlog lasts)%n",
                    "", pageMillis, 100 * steadyRate / (pageSize / (pageMillis / 1000.0)));
        }
    }

    private static long mib(String bytes) {
        return Long.parseLong(bytes) / (1024 * 1024);
    }

    private Path writeConfig(ServiceNowSimulator sim, String topic, int pageSize) throws IOException {
        Path dir = work.resolve(topic);
        Files.createDirectories(dir);
        Path file = dir.resolve("snkb.yaml");
        Files.writeString(file, String.join("\n",
                "instances:",
                "  - name: bench",
                "    base-url: " + sim.baseUrl(),
                "    auth: {type: basic, username: " + USER + ", password: " + PASSWORD + "}",
                "    tables:",
                "      - name: incident",
                "        topic: " + topic,
                "        page-size: " + pageSize,
                "        poll-interval: 1s",
                "kafka:",
                "  bootstrap-servers: " + kafka.bootstrapServers(),
                "source:",
                "  backfill-concurrency: " + CONCURRENCY,
                "offsets:",
                "  directory: " + dir.resolve("offsets"),
                "http:",
                "  enabled: false",
                ""));
        return file;
    }

    private Map<String, String> child(String mode, Path config, long expected) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:+UseG1GC", "-Dlogback.configurationFile=" + quietLogback()));
        // For profiling the bridge alone, e.g. -Dbench.bridge-jvm-options=-XX:StartFlightRecording=filename=b.jfr
        String extra = System.getProperty("bench.bridge-jvm-options", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        if (Boolean.getBoolean("bench.timeline")) {
            command.add("-Dbench.timeline=true");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchBridge.class.getName(), mode,
                config.toString(), String.valueOf(expected)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // A benchmark stopped with Ctrl-C must not leave its bridge JVM behind.
        Thread reaper = new Thread(process::destroyForcibly, "bench-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        Map<String, String> result = new HashMap<>();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
                if (line.startsWith("TIMELINE ")) {
                    System.out.println(line);
                }
                if (line.startsWith("RESULT ") || line.startsWith("PAGES ")) {
                    for (String pair : line.substring(line.indexOf(' ') + 1).split(" ")) {
                        String[] kv = pair.split("=", 2);
                        result.put(kv[0], kv[1]);
                    }
                }
            }
        }
        int exit = process.waitFor();
        Runtime.getRuntime().removeShutdownHook(reaper);
        if (exit != 0 || result.isEmpty()) {
            output.stream().skip(Math.max(0, output.size() - 30)).forEach(System.err::println);
            throw new IllegalStateException("The bridge JVM failed in " + mode);
        }
        return result;
    }

    private Path quietLogback() throws IOException {
        Path file = work.resolve("logback-bench.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        return file;
    }
}
