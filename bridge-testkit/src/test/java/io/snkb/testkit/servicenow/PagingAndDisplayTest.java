package io.snkb.testkit.servicenow;

import static io.snkb.testkit.servicenow.SimClient.json;
import static io.snkb.testkit.servicenow.SimClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snkb.testkit.ManualClock;
import java.net.http.HttpResponse;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PagingAndDisplayTest {

    private ServiceNowSimulator sim;
    private SimClient client;

    @BeforeEach
    void start() {
        sim = ServiceNowSimulator.builder().user("snkb", "pw", ZoneOffset.UTC)
                .user(SimUser.builder("paris").password("pw").timeZone(ZoneId.of("Europe/Paris"))
                        .dateFormat("dd-MM-yyyy").build())
                .clock(ManualClock.at("2024-03-05T06:00:00Z")).maxLimit(10_000).build().start();
        client = SimClient.basic(sim, "snkb", "pw");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private void insert(int n) {
        for (int i = 0; i < n; i++) {
            sim.table("incident").insert(Map.of("u_seq", String.valueOf(i), "priority", String.valueOf(i % 5 + 1)));
        }
    }

    @Test
    void limitAndOffsetPageWithTotalCountAndLinks() {
        insert(25);

        HttpResponse<String> r = client.get("/api/now/table/incident?sysparm_limit=10&sysparm_offset=10"
                + "&sysparm_query=" + q("ORDERBYu_seq"));

        assertThat(json(r).get("result")).hasSize(10);
        assertThat(r.headers().firstValue("X-Total-Count")).hasValue("25");
        String link = r.headers().firstValue("Link").orElseThrow();
        assertThat(link).contains("sysparm_offset=0>;rel=\"first\"")
                .contains("sysparm_offset=0>;rel=\"prev\"")
                .contains("sysparm_offset=20>;rel=\"next\"")
                .contains("sysparm_offset=20>;rel=\"last\"")
                .contains(sim.baseUrl() + "/api/now/table/incident?");
    }

    @Test
    void lastPageHasNoNextLinkAndNoCountSuppressesTotal() {
        insert(5);

        HttpResponse<String> r = client.get("/api/now/table/incident?sysparm_limit=5&sysparm_no_count=true");

        assertThat(r.headers().firstValue("X-Total-Count")).isEmpty();
        assertThat(r.headers().firstValue("Link").orElseThrow()).doesNotContain("rel=\"next\"");
    }

    @Test
    void limitDefaultsToAndIsCappedAtMaxLimit() {
        try (ServiceNowSimulator small = ServiceNowSimulator.builder().user("u", "pw", ZoneOffset.UTC).maxLimit(3)
                .build().start()) {
            for (int i = 0; i < 5; i++) {
                small.table("incident").insert(Map.of("u_seq", "" + i));
            }
            SimClient c = SimClient.basic(small, "u", "pw");

            assertThat(json(c.get("/api/now/table/incident")).get("result")).hasSize(3);
            assertThat(json(c.get("/api/now/table/incident?sysparm_limit=100")).get("result")).hasSize(3);
            assertThat(c.get("/api/now/table/incident?sysparm_limit=0").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void fieldsSelectsColumnsIgnoresUnknownAndDotWalks() {
        String loc = sim.table("cmn_location").insert(Map.of("name", "Lyon")).get("sys_id");
        sim.table("incident").insert(Map.of("short_description", "x", "location", loc));

        JsonNode rec = json(client.get("/api/now/table/incident?sysparm_fields="
                + q("number,short_description,u_bogus,location.name"))).get("result").get(0);

        List<String> names = new ArrayList<>();
        rec.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("number", "short_description", "location.name");
        assertThat(rec.get("location.name").asText()).isEqualTo("Lyon");
    }

    @Test
    void displayValuesShowUserZoneFormatReferenceNamesAndChoiceLabels() {
        String caller = sim.table("sys_user").insert(Map.of("name", "Beth Anglin")).get("sys_id");
        sim.table("incident").insert(Map.of("caller_id", caller, "state", "2", "opened_at", "2024-03-05 06:00:00"));
        SimClient paris = SimClient.basic(sim, "paris", "pw");

        JsonNode rec = json(paris.get("/api/now/table/incident?sysparm_display_value=true")).get("result").get(0);
        JsonNode noLink = json(paris.get("/api/now/table/incident?sysparm_display_value=true"
                + "&sysparm_exclude_reference_link=true")).get("result").get(0);

        assertThat(rec.get("opened_at").asText()).isEqualTo("05-03-2024 07:00:00");
        assertThat(rec.get("sys_created_on").asText()).isEqualTo("05-03-2024 07:00:00");
        assertThat(rec.get("caller_id").get("display_value").asText()).isEqualTo("Beth Anglin");
        assertThat(rec.get("caller_id").get("link").asText()).endsWith("/sys_user/" + caller);
        assertThat(rec.get("state").asText()).isEqualTo("In Progress");
        assertThat(noLink.get("caller_id").asText()).isEqualTo("Beth Anglin");
    }

    @Test
    void displayValueAllGivesBothPerField() {
        String caller = sim.table("sys_user").insert(Map.of("name", "Beth Anglin")).get("sys_id");
        sim.table("incident").insert(Map.of("caller_id", caller, "state", "6"));

        JsonNode rec = json(SimClient.basic(sim, "paris", "pw")
                .get("/api/now/table/incident?sysparm_display_value=all")).get("result").get(0);

        assertThat(rec.get("state").get("value").asText()).isEqualTo("6");
        assertThat(rec.get("state").get("display_value").asText()).isEqualTo("Resolved");
        assertThat(rec.get("caller_id").get("value").asText()).isEqualTo(caller);
        assertThat(rec.get("caller_id").get("display_value").asText()).isEqualTo("Beth Anglin");
        assertThat(rec.get("caller_id").get("link").asText()).endsWith(caller);
        assertThat(rec.get("sys_updated_on").get("value").asText()).isEqualTo("2024-03-05 06:00:00");
        assertThat(rec.get("sys_updated_on").get("display_value").asText()).isEqualTo("05-03-2024 07:00:00");
    }

    @Test
    void rowAclShortensThePageButNotTheTotalCount() {
        insert(10);
        sim.faults().hideRows("snkb", "incident", "priority=1^ORpriority=2");

        HttpResponse<String> first = client.get("/api/now/table/incident?sysparm_limit=5&sysparm_query="
                + q("ORDERBYu_seq"));
        HttpResponse<String> all = client.get("/api/now/table/incident?sysparm_query=" + q("ORDERBYu_seq"));

        assertThat(json(first).get("result")).hasSize(3);
        assertThat(first.headers().firstValue("X-Total-Count")).hasValue("10");
        assertThat(first.headers().firstValue("Link").orElseThrow()).contains("rel=\"next\"");
        assertThat(json(all).get("result")).hasSize(6);
        assertThat(json(SimClient.basic(sim, "paris", "pw").get("/api/now/table/incident")).get("result"))
                .as("other users see everything").hasSize(10);
    }

    @Test
    void rowAclCanEmptyAWholePageWhileLaterPagesHoldRows() {
        insert(10);
        sim.faults().hideRows("snkb", "incident", row -> Integer.parseInt(row.get("u_seq")) < 5);

        HttpResponse<String> page1 = client.get("/api/now/table/incident?sysparm_limit=5&sysparm_query="
                + q("ORDERBYu_seq"));
        HttpResponse<String> page2 = client.get("/api/now/table/incident?sysparm_limit=5&sysparm_offset=5"
                + "&sysparm_query=" + q("ORDERBYu_seq"));

        assertThat(json(page1).get("result")).isEmpty();
        assertThat(json(page2).get("result")).hasSize(5);
        String hiddenId = sim.table("incident").findBy("u_seq", "0").orElseThrow().get("sys_id");
        assertThat(client.get("/api/now/table/incident/" + hiddenId).statusCode()).isEqualTo(404);
    }

    @Test
    void fieldsTheUserMayNotReadAreOmitted() {
        sim.table("incident").insert(Map.of("short_description", "x", "description", "secret"));
        sim.faults().hideFields("snkb", "incident", "description");

        JsonNode rec = json(client.get("/api/now/table/incident")).get("result").get(0);

        assertThat(rec.has("description")).isFalse();
        assertThat(rec.get("short_description").asText()).isEqualTo("x");
    }

    @Test
    void listsTenThousandRowsInOnePageInKeysetOrder() {
        Seeder.builder().incidents(10_000).descriptionLength(200).build().seed(sim);

        HttpResponse<String> r = client.get("/api/now/table/incident?sysparm_limit=10000&sysparm_query="
                + q("ORDERBYsys_updated_on^ORDERBYsys_id"));

        JsonNode rows = json(r).get("result");
        assertThat(rows).hasSize(10_000);
        for (int i = 1; i < rows.size(); i++) {
            String previous = rows.get(i - 1).get("sys_updated_on").asText() + rows.get(i - 1).get("sys_id").asText();
            String current = rows.get(i).get("sys_updated_on").asText() + rows.get(i).get("sys_id").asText();
            assertThat(current).as("row %d after row %d", i, i - 1).isGreaterThan(previous);
        }
    }
}
