package io.snkb.testkit.servicenow;

import static io.snkb.testkit.servicenow.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultsTest {

    private ServiceNowSimulator sim;
    private SimClient client;

    @BeforeEach
    void start() {
        sim = ServiceNowSimulator.builder().user("snkb", "pw", ZoneOffset.UTC).build().start();
        client = SimClient.basic(sim, "snkb", "pw");
        for (int i = 0; i < 20; i++) {
            sim.table("incident").insert(Map.of("u_seq", String.valueOf(i)));
        }
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void hibernatingInstanceAnswers200Html() {
        sim.faults().hibernate(1);

        HttpResponse<String> r = client.get("/api/now/table/incident");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(r.body()).contains("hibernating");
        assertThat(client.get("/api/now/table/incident").headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/json");
    }

    @Test
    void proxy502ForNextRequestsOnly() {
        sim.faults().proxy502(2);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(client.get("/api/now/table/incident?sysparm_limit=1").statusCode());
        }

        assertThat(statuses).containsExactly(502, 502, 200);
        assertThat(sim.faults().active()).isEmpty();
    }

    @Test
    void proxy502ShareIsReproducibleForASeed() {
        sim.faults().proxy502Share(0.5, 7);
        List<Integer> first = statuses(40);
        sim.faults().clear();
        sim.faults().proxy502Share(0.5, 7);

        assertThat(statuses(40)).isEqualTo(first).contains(502, 200);
    }

    @Test
    void randomFiveHundredsWithProbabilityAndSeed() {
        sim.faults().apply("random-5xx=0.3:seed=11");

        List<Integer> statuses = statuses(60);

        assertThat(statuses).allMatch(s -> s == 200 || s == 500 || s == 503);
        long failures = statuses.stream().filter(s -> s != 200).count();
        assertThat(failures).isBetween(5L, 35L);
    }

    @Test
    void transactionCancelledAboveAPageSize() {
        sim.faults().maxPageSize(5);

        HttpResponse<String> big = client.get("/api/now/table/incident?sysparm_limit=6");
        HttpResponse<String> small = client.get("/api/now/table/incident?sysparm_limit=5");

        assertThat(big.statusCode()).isEqualTo(500);
        assertThat(json(big).get("error").get("message").asText())
                .isEqualTo("Transaction cancelled: maximum execution time exceeded");
        assertThat(small.statusCode()).isEqualTo(200);
    }

    @Test
    void truncatedBodyIsValidStartButNotJson() {
        sim.faults().truncateBody(1);

        HttpResponse<String> r = client.get("/api/now/table/incident");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"result\":[{");
        assertThatThrownBy(() -> SimClient.JSON.readTree(r.body())).isInstanceOf(JsonProcessingException.class);
        assertThat(json(client.get("/api/now/table/incident")).get("result")).hasSize(20);
    }

    @Test
    void latencyPerRequestAndPerRecord() {
        sim.faults().apply("latency=100ms:times=1", "record-latency=10ms:times=1");

        long start = System.nanoTime();
        client.get("/api/now/table/incident?sysparm_limit=10");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(millis).isGreaterThanOrEqualTo(200);
    }

    @Test
    void writeLatencyDelaysTheAnswerToAWriteAfterApplyingIt() {
        sim.faults().writeLatency(Duration.ofMillis(300));

        long start = System.nanoTime();
        HttpResponse<String> created = client.send("POST", "/api/now/table/incident", "{\"short_description\": \"w\"}");
        long writeMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(writeMillis).isGreaterThanOrEqualTo(300);
        assertThat(sim.table("incident").writes()).last()
                .satisfies(row -> assertThat(row).containsEntry("short_description", "w"));
    }

    @Test
    void errorStatusWithEnvelope() {
        sim.faults().error(503, 1);

        HttpResponse<String> r = client.get("/api/now/table/incident");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).get("status").asText()).isEqualTo("failure");
    }

    @Test
    void specLanguageParsesEveryKindAndReportsMistakes() {
        assertThat(Faults.parse("latency=50ms").duration()).isEqualTo(Duration.ofMillis(50));
        assertThat(Faults.parse("proxy-502:times=3").times()).isEqualTo(3);
        assertThat(Faults.parse("502:share=0.25:seed=9").share()).isEqualTo(0.25);
        assertThat(Faults.parse("max-page=500").threshold()).isEqualTo(500);
        FaultSpec acl = Faults.parse("hide-rows:user=snkb:table=incident:query=sys_updated_on>2024-01-01 10:00:00");
        assertThat(acl.query()).hasValue("sys_updated_on>2024-01-01 10:00:00");
        assertThat(acl.user()).hasValue("snkb");
        assertThat(Faults.parse("hide-fields=description,work_notes:user=snkb").fields())
                .containsExactly("description", "work_notes");
        assertThatThrownBy(() -> Faults.parse("earthquake")).hasMessageContaining("earthquake");
        assertThatThrownBy(() -> Faults.parse("latency=fast")).hasMessageContaining("fast");
        assertThatThrownBy(() -> Faults.parse("hide-rows:user=x")).hasMessageContaining("query=");
    }

    @Test
    void adminEndpointSetsListsAndClearsFaults() {
        SimClient anon = SimClient.anonymous(sim);

        HttpResponse<String> set = anon.send("POST", "/_sim/faults", "proxy-502:times=1\n# comment\n");
        HttpResponse<String> failed = client.get("/api/now/table/incident");
        anon.send("POST", "/_sim/faults", "hibernate");
        anon.send("DELETE", "/_sim/faults", null);

        assertThat(json(set).get("faults").get(0).asText()).isEqualTo("proxy-502:times=1");
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(client.get("/api/now/table/incident").statusCode()).isEqualTo(200);
        assertThat(anon.send("POST", "/_sim/faults", "nonsense").statusCode()).isEqualTo(400);
    }

    private List<Integer> statuses(int n) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            statuses.add(client.get("/api/now/table/incident?sysparm_limit=1").statusCode());
        }
        return statuses;
    }
}
