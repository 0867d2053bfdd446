package io.snkb.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snkb.bridge.spi.AuthenticationException;
import io.snkb.bridge.spi.TokenProvider;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import io.snkb.testkit.servicenow.SimTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled Grafana dashboard only asks for metrics a running engine exports. */
class DashboardTest {
    private static final Path DASHBOARD = Path.of("..", "dashboards", "snkb.json");
    private static final Pattern METRIC = Pattern.compile("\\bbridge_[a-z0-9_]+");

    @TempDir
    Path offsets;

    @Test
    void everyPanelQueryNamesAMetricTheBridgeExports() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> asked = metricsNamedIn(queries(dashboard));
        assertThat(asked).contains("bridge_offset_lag_seconds", "bridge_records_produced_total",
                "bridge_servicenow_requests_seconds_bucket", "bridge_servicenow_rate_limited_total");

        assertThat(Harness.sampleNames(scrapeBusyEngine())).containsAll(asked);
    }

    @Test
    void dashboardHasTheOperatorsPanels() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> titles = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> titles.add(panel.path("title").asText()));
        assertThat(titles).contains("Offset lag", "Records read and produced", "Failed records and polls",
                "ServiceNow errors and credentials", "API latency", "Throttling", "Sink writes",
                "Dead letters", "Sink consumer lag");
        dashboard.path("panels").forEach(panel -> {
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            }
        });
    }

    /**
     * Runs an engine through rate limits, row-level ACLs and a refused then renewed credential, with a sink
     * that writes one record and dead-letters another, so that the meters the dashboard asks for are in the
     * scrape.
     */
    private String scrapeBusyEngine() {
        try (ServiceNowSimulator sim = Harness.simulator().rateLimit(4, Duration.ofSeconds(1)).build().start()) {
            SimTable incident = sim.table("incident");
            // One hidden row opens each page of three, in a fixed order, so that every page but the last comes
            // back short with rows after it.
            for (int i = 0; i < 12; i++) {
                incident.insertWithSysFields(Map.of("short_description", (i % 3 == 0 ? "secret " : "open ") + i,
                        "sys_updated_on", String.format("2026-01-01 00:00:%02d", i)));
            }
            sim.faults().hideRows("*", "incident", "short_descriptionSTARTSWITHsecret").error(401, 2);
            RenewingProvider provider = new RenewingProvider();
            try (Harness harness = new Harness(sim, offsets, Clock.systemUTC(), Map.of("dev", provider), 3, true)) {
                harness.sendToSink("{\"correlation_id\":\"alert-1\",\"short_description\":\"disk\"}");
                harness.sendToSink("not json");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    String scraped = harness.scrape();
                    assertThat(harness.sample("bridge_records_produced_total")).as("produced").isEqualTo(8);
                    assertThat(provider.rejections.get()).as("credential refusals").isGreaterThanOrEqualTo(2);
                    assertThat(harness.sample("bridge_servicenow_rate_limit_wait_seconds_total")).as("429 waits")
                            .isPositive();
                    assertThat(scraped).contains("bridge_sink_records_written_total{",
                            "bridge_sink_records_dead_lettered_total{", "bridge_sink_consumer_lag_records{");
                });
                assertThat(harness.sample("bridge_rows_hidden_total")).isPositive();
                return harness.scrape();
            }
        }
    }

    private static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> queries.add(target.path("expr").asText())));
        dashboard.path("templating").path("list").forEach(variable -> {
            queries.add(variable.path("definition").asText());
            queries.add(variable.path("query").path("query").asText());
        });
        return queries;
    }

    private static Set<String> metricsNamedIn(List<String> queries) {
        Set<String> names = new TreeSet<>();
        for (String query : queries) {
            Matcher matcher = METRIC.matcher(query);
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        return names;
    }

    /** Basic credentials that are refused once for good, then renewed: both outcomes get counted. */
    private static final class RenewingProvider implements TokenProvider {
        private final AtomicInteger rejections = new AtomicInteger();

        @Override
        public String authorization() {
            String pair = Harness.USER + ":" + Harness.PASSWORD;
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void rejected(String authorizationValue) {
            if (rejections.incrementAndGet() == 1) {
                throw new AuthenticationException("refused once on purpose");
            }
        }

        @Override
        public String describe() {
            return "basic as " + Harness.USER + ", renewable";
        }
    }
}
