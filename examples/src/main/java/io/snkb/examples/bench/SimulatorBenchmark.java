package io.snkb.examples.bench;

import io.snkb.testkit.servicenow.Seeder;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times the ServiceNow simulator alone, over HTTP and without added latency, answering the requests the bridge
 * sends: pages of a poll's keyset query and of a backfill range over 100,000 incidents seeded as
 * {@link SourceBenchmark} seeds them, a backfill range's count, and the sink's look-up by business key over a
 * few thousand rows. The queries are written as the bridge writes them; the keyset one also as it is written
 * for a user outside UTC ({@code javascript:gs.dateGenerate(...)} in the user's zone).
 *
 * <p>Arguments: timed requests per query (default 20), after 10 untimed ones. Not a test: figures depend on the
 * machine and its load.
 */
public final class SimulatorBenchmark {
    private static final int RECORDS = 100_000;
    private static final int LOOKUP_ROWS = 4000;
    private static final int PAGE_SIZE = 1000;
    private static final int WARM_UP = 10;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final String PASSWORD = "bench-pw";
    private static final String ORDER = "^ORDERBYsys_updated_on^ORDERBYsys_id";
    /** What the bridge adds to every read; a count is the same request without {@code sysparm_no_count}. */
    private static final String READ_PARAMS = "&sysparm_display_value=false&sysparm_exclude_reference_link=true";

    private final HttpClient http = HttpClient.newHttpClient();
    private final int runs;

    private SimulatorBenchmark(int runs) {
        this.runs = runs;
    }

    public static void main(String[] args) throws Exception {
        SimulatorBenchmark bench = new SimulatorBenchmark(args.length > 0 ? Integer.parseInt(args[0]) : 20);
        bench.pages();
        bench.lookUps();
        System.exit(0);
    }

    private static ServiceNowSimulator simulator() {
        return ServiceNowSimulator.builder().port(0).threads(8).user("bench", PASSWORD, ZoneId.of("UTC"))
                .user("bench-paris", PASSWORD, PARIS).maxLimit(10_000).build().start();
    }

    private void pages() throws Exception {
        try (ServiceNowSimulator sim = simulator()) {
            Seeder.builder().incidents(RECORDS).descriptionLength(100)
                    .stamped(Instant.parse("2024-01-01T00:00:00Z"), 50).build().seed(sim);
            System.gc();
            List<Map<String, String>> rows = sim.table("incident").rows();
            Map<String, String> keyset = keysetOrder(rows).get(PAGE_SIZE - 1);
            String time = keyset.get("sys_updated_on");
            String local = dateGenerate(time, PARIS);
            String range = "sys_id>=40^sys_id<80";
            String rangeAfter = rows.stream().map(r -> r.get("sys_id")).filter(id -> id.compareTo("40") >= 0)
                    .sorted().skip(PAGE_SIZE - 1).findFirst().orElseThrow();
            String page = "&sysparm_limit=" + PAGE_SIZE + READ_PARAMS + "&sysparm_no_count=true";

            List<Probe> probes = List.of(
                    probe(sim, "bench", "poll, first page from a bound", "sys_updated_on>=2024-01-01 00:10:00"
                            + ORDER, page),
                    probe(sim, "bench", "poll, next page near the start", "sys_updated_on>" + time
                            + "^NQsys_updated_on=" + time + "^sys_id>" + keyset.get("sys_id") + ORDER, page),
                    probe(sim, "bench-paris", "poll, next page, user in Paris", "sys_updated_on>" + local
                            + "^NQsys_updated_on=" + local + "^sys_id>" + keyset.get("sys_id") + ORDER, page),
                    probe(sim, "bench", "backfill range, first page", range + "^ORDERBYsys_id", page),
                    probe(sim, "bench", "backfill range, next page", range + "^sys_id>" + rangeAfter
                            + "^ORDERBYsys_id", page),
                    probe(sim, "bench", "backfill range, count", range + "^ORDERBYsys_id", "&sysparm_limit=1"
                            + READ_PARAMS + "&sysparm_fields=sys_id"));
            System.out.printf(Locale.ROOT, "simulator alone, %d incidents, %d-row pages: ms per request%n", RECORDS,
                    PAGE_SIZE);
            time(probes);
        }
    }

    private void lookUps() throws Exception {
        try (ServiceNowSimulator sim = simulator()) {
            SimTable incident = sim.table("incident");
            for (int i = 0; i < LOOKUP_ROWS; i++) {
                incident.insert(Map.of("correlation_id", "key-" + i, "u_seq", "0"));
            }
            time(List.of(probe(sim, "bench", "sink look-up by business key over " + LOOKUP_ROWS + " rows",
                    "correlation_id=key-" + LOOKUP_ROWS / 2, "&sysparm_limit=2" + READ_PARAMS
                            + "&sysparm_no_count=true")));
        }
    }

    /** A raw UTC date-time as the bridge writes it for a session user in {@code zone}. */
    private static String dateGenerate(String raw, ZoneId zone) {
        LocalDateTime local = LocalDateTime.parse(raw.replace(' ', 'T')).atOffset(ZoneOffset.UTC)
                .atZoneSameInstant(zone).toLocalDateTime();
        return "javascript:gs.dateGenerate('" + local.toLocalDate() + "','" + local.toLocalTime()
                .format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "')";
    }

    private static List<Map<String, String>> keysetOrder(List<Map<String, String>> rows) {
        List<Map<String, String>> ordered = new ArrayList<>(rows);
        ordered.sort(Comparator.comparing((Map<String, String> r) -> r.get("sys_updated_on"))
                .thenComparing(r -> r.get("sys_id")));
        return ordered;
    }

    private static Probe probe(ServiceNowSimulator sim, String user, String name, String query, String params) {
        URI uri = URI.create(sim.baseUrl() + "/api/now/table/incident?sysparm_query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20") + params);
        return new Probe(name, HttpRequest.newBuilder(uri).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8))).build());
    }

    /**
     * Sends every probe in turn, round after round, so that a change of load on the machine weighs on all of them
     * alike; the first rounds, while the JIT compiles, are not counted.
     */
    private void time(List<Probe> probes) throws IOException, InterruptedException {
        long[][] nanos = new long[probes.size()][runs];
        int[] bytes = new int[probes.size()];
        for (int round = -WARM_UP; round < runs; round++) {
            for (int p = 0; p < probes.size(); p++) {
                long started = System.nanoTime();
                HttpResponse<byte[]> response = http.send(probes.get(p).request(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(probes.get(p).name() + ": status " + response.statusCode());
                }
                bytes[p] = response.body().length;
                if (round >= 0) {
                    nanos[p][round] = System.nanoTime() - started;
                }
            }
        }
        for (int p = 0; p < probes.size(); p++) {
            Arrays.sort(nanos[p]);
            System.out.printf(Locale.ROOT, "  %-52s mean %7.1f  median %7.1f  (%d KB)%n", probes.get(p).name(),
                    Arrays.stream(nanos[p]).average().orElse(0) / 1e6, nanos[p][runs / 2] / 1e6, bytes[p] / 1024);
        }
    }

    private record Probe(String name, HttpRequest request) {
    }
}
