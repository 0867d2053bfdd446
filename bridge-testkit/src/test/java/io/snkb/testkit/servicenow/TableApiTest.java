package io.snkb.testkit.servicenow;

import static io.snkb.testkit.servicenow.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snkb.testkit.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TableApiTest {

    private final ManualClock clock = ManualClock.at("2024-03-05T06:00:00.750Z");
    private ServiceNowSimulator sim;
    private SimClient client;

    @BeforeEach
    void start() {
        sim = ServiceNowSimulator.builder().user("snkb.integration", "pw", ZoneOffset.UTC).clock(clock).build()
                .start();
        client = SimClient.basic(sim, "snkb.integration", "pw");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void postCreatesRecordWithStampedSysFieldsAndNumber() {
        HttpResponse<String> r = client.send("POST", "/api/now/table/incident",
                "{\"short_description\":\"Printer on fire\",\"priority\":2,\"active\":true}");

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        JsonNode rec = json(r).get("result");
        assertThat(rec.get("sys_id").asText()).matches("[0-9a-f]{32}");
        assertThat(rec.get("number").asText()).isEqualTo("INC0010001");
        assertThat(rec.get("sys_created_on").asText()).isEqualTo("2024-03-05 06:00:00");
        assertThat(rec.get("sys_updated_on").asText()).isEqualTo("2024-03-05 06:00:00");
        assertThat(rec.get("sys_created_by").asText()).isEqualTo("snkb.integration");
        assertThat(rec.get("sys_mod_count").asText()).isEqualTo("0");
        assertThat(rec.get("priority").isTextual()).isTrue();
        assertThat(rec.get("priority").asText()).isEqualTo("2");
        assertThat(rec.get("active").asText()).isEqualTo("true");
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(
                l -> assertThat(l).endsWith("/api/now/table/incident/" + rec.get("sys_id").asText()));
    }

    @Test
    void queryWithUnencodedCaretIsServedAsCurlSendsIt() throws IOException {
        sim.table("incident").insert(Map.of("short_description", "a", "active", "true"));
        sim.table("incident").insert(Map.of("short_description", "b", "active", "false"));
        String credentials = Base64.getEncoder().encodeToString("snkb.integration:pw".getBytes(StandardCharsets.UTF_8));

        String response;
        try (Socket socket = new Socket("127.0.0.1", sim.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/now/table/incident?sysparm_query=active=true^ORDERBYsys_updated_on"
                    + "&sysparm_fields=short_description HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic "
                    + credentials + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(response).containsIgnoringCase("X-Total-Count: 1");
        assertThat(response).endsWith("{\"result\":[{\"short_description\":\"a\"}]}");
    }

    @Test
    void aTableWithStrictColumnsIgnoresUnknownFieldsSilentlyAsServiceNowDoes() {
        sim.table("u_strict").columns("u_name").strictColumns();

        HttpResponse<String> r = client.send("POST", "/api/now/table/u_strict",
                "{\"u_name\":\"kept\",\"u_unknown\":\"dropped\"}");

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(json(r).get("result").has("u_unknown")).isFalse();
        assertThat(sim.table("u_strict").rows()).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("u_name", "kept").doesNotContainKey("u_unknown"));
    }

    @Test
    void everyValueIsAStringAndUnsetColumnsAreEmpty() {
        sim.table("incident").insert(Map.of("short_description", "x"));

        JsonNode rec = json(client.get("/api/now/table/incident")).get("result").get(0);

        rec.fields().forEachRemaining(f -> assertThat(f.getValue().isTextual())
                .as(f.getKey() + " is a string").isTrue());
        assertThat(rec.get("description").asText()).isEmpty();
    }

    @Test
    void storedNullStaysNullDistinctFromEmpty() {
        Map<String, String> fields = new HashMap<>();
        fields.put("short_description", null);
        fields.put("description", "");
        String id = sim.table("incident").insert(fields).get("sys_id");

        JsonNode rec = json(client.get("/api/now/table/incident/" + id)).get("result");

        assertThat(rec.get("short_description").isNull()).isTrue();
        assertThat(rec.get("description").asText()).isEmpty();
    }

    @Test
    void patchAndPutUpdateRestampAndCountModifications() {
        String id = sim.table("incident").insert(Map.of("short_description", "a", "state", "1")).get("sys_id");
        clock.advance(Duration.ofSeconds(90));

        JsonNode patched = json(client.send("PATCH", "/api/now/table/incident/" + id, "{\"state\":\"2\"}"))
                .get("result");
        clock.advance(Duration.ofSeconds(1));
        JsonNode put = json(client.send("PUT", "/api/now/table/incident/" + id, "{\"short_description\":\"\"}"))
                .get("result");

        assertThat(patched.get("state").asText()).isEqualTo("2");
        assertThat(patched.get("sys_updated_on").asText()).isEqualTo("2024-03-05 06:01:30");
        assertThat(patched.get("sys_mod_count").asText()).isEqualTo("1");
        assertThat(put.get("short_description").asText()).as("'' clears a field").isEmpty();
        assertThat(put.get("state").asText()).as("PUT is partial like PATCH").isEqualTo("2");
        assertThat(put.get("sys_mod_count").asText()).isEqualTo("2");
        assertThat(put.get("sys_updated_by").asText()).isEqualTo("snkb.integration");
        assertThat(put.get("sys_created_by").asText()).isEqualTo(SimTable.JAVA_API_USER);
    }

    @Test
    void updateChangingNothingLeavesStampsAlone() {
        String id = sim.table("incident").insert(Map.of("state", "1")).get("sys_id");
        clock.advance(Duration.ofMinutes(5));

        JsonNode rec = json(client.send("PATCH", "/api/now/table/incident/" + id, "{\"state\":\"1\"}"))
                .get("result");

        assertThat(rec.get("sys_mod_count").asText()).isEqualTo("0");
        assertThat(rec.get("sys_updated_on").asText()).isEqualTo("2024-03-05 06:00:00");
    }

    @Test
    void aNewIncidentGetsTheDictionaryDefaultsForColumnsItsInsertDoesNotName() {
        JsonNode plain = json(client.send("POST", "/api/now/table/incident", "{\"short_description\":\"disk\"}"))
                .get("result");
        JsonNode told = json(client.send("POST", "/api/now/table/incident",
                "{\"active\":\"false\",\"impact\":\"1\",\"state\":\"\"}")).get("result");

        assertThat(plain.get("active").asText()).isEqualTo("true");
        assertThat(plain.get("state").asText()).isEqualTo("1");
        assertThat(plain.get("priority").asText()).isEqualTo("5");
        assertThat(told.get("active").asText()).isEqualTo("false");
        assertThat(told.get("impact").asText()).isEqualTo("1");
        assertThat(told.get("state").asText()).isEmpty();
    }

    @Test
    void clientCannotOverwriteSysFieldsButMaySetSysIdOnInsert() {
        String id = "0123456789abcdef0123456789abcdef";
        JsonNode rec = json(client.send("POST", "/api/now/table/incident", "{\"sys_id\":\"" + id
                + "\",\"sys_updated_on\":\"1999-01-01 00:00:00\",\"sys_mod_count\":\"77\"}")).get("result");

        assertThat(rec.get("sys_id").asText()).isEqualTo(id);
        assertThat(rec.get("sys_updated_on").asText()).isEqualTo("2024-03-05 06:00:00");
        assertThat(rec.get("sys_mod_count").asText()).isEqualTo("0");
    }

    @Test
    void deleteAnswers204AndIsRecordedInSysAuditDelete() {
        Map<String, String> row = sim.table("incident").insert(Map.of("short_description", "gone <soon> & co"));
        String id = row.get("sys_id");
        clock.advance(Duration.ofSeconds(10));

        HttpResponse<String> r = client.send("DELETE", "/api/now/table/incident/" + id, null);
        JsonNode audit = json(client.get("/api/now/table/sys_audit_delete?sysparm_query="
                + SimClient.q("tablename=incident^documentkey=" + id))).get("result");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(client.get("/api/now/table/incident/" + id).statusCode()).isEqualTo(404);
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("sys_created_on").asText()).isEqualTo("2024-03-05 06:00:10");
        assertThat(audit.get(0).get("display_value").asText()).isEqualTo(row.get("number"));
        assertThat(audit.get(0).get("payload").asText()).startsWith("<?xml")
                .contains("<sys_id>" + id + "</sys_id>").contains("gone &lt;soon&gt; &amp; co");
    }

    @Test
    void unknownRecordAnswers404Envelope() {
        HttpResponse<String> r = client.get("/api/now/table/incident/ffffffffffffffffffffffffffffffff");

        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("failure");
        assertThat(body.get("error").get("message").asText()).isEqualTo("No Record found");
        assertThat(body.get("error").get("detail").asText()).isNotEmpty();
        assertThat(client.send("DELETE", "/api/now/table/incident/nope", null).statusCode()).isEqualTo(404);
        assertThat(client.send("PATCH", "/api/now/table/incident/nope", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownTableAnswers400InvalidTable() {
        HttpResponse<String> r = client.get("/api/now/table/u_no_such_table");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").get("message").asText()).isEqualTo("Invalid table u_no_such_table");
    }

    @Test
    void tableCreatedThroughJavaApiExists() {
        sim.table("u_custom").insert(Map.of("u_name", "x"));

        assertThat(json(client.get("/api/now/table/u_custom")).get("result")).hasSize(1);
    }

    @Test
    void arrayOrInvalidJsonBodyAnswers400() {
        assertThat(client.send("POST", "/api/now/table/incident", "[{\"a\":\"b\"}]").statusCode()).isEqualTo(400);
        HttpResponse<String> bad = client.send("POST", "/api/now/table/incident", "{not json");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("status").asText()).isEqualTo("failure");
        assertThat(sim.table("incident").size()).isZero();
    }

    @Test
    void noResponseBodyHeaderSuppressesTheBody() {
        HttpResponse<String> r = client.send("POST", "/api/now/table/incident", "{\"short_description\":\"q\"}",
                "X-no-response-body", "true");

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).isEmpty();
        assertThat(sim.table("incident").size()).isEqualTo(1);
    }

    @Test
    void v1AnswersNotFoundToEmptyResultWhileV2AndUnversionedAnswerEmptyList() {
        String query = "?sysparm_query=" + SimClient.q("short_description=nothing");

        HttpResponse<String> v1 = client.get("/api/now/v1/table/incident" + query);
        HttpResponse<String> v2 = client.get("/api/now/v2/table/incident" + query);
        HttpResponse<String> plain = client.get("/api/now/table/incident" + query);

        assertThat(v1.statusCode()).isEqualTo(404);
        assertThat(json(v1).get("error").get("message").asText()).isEqualTo("No Record found");
        assertThat(v2.statusCode()).isEqualTo(200);
        assertThat(json(v2).get("result")).isEmpty();
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(json(plain).get("result")).isEmpty();
    }

    @Test
    void referencesCarryLinkAndValueUnlessExcluded() {
        String caller = sim.table("sys_user").insert(Map.of("name", "Beth Anglin")).get("sys_id");
        sim.table("incident").insert(Map.of("caller_id", caller, "assigned_to", ""));

        JsonNode withLink = json(client.get("/api/now/table/incident")).get("result").get(0);
        JsonNode without = json(client.get("/api/now/table/incident?sysparm_exclude_reference_link=true"))
                .get("result").get(0);

        assertThat(withLink.get("caller_id").get("value").asText()).isEqualTo(caller);
        assertThat(withLink.get("caller_id").get("link").asText())
                .isEqualTo(sim.baseUrl() + "/api/now/table/sys_user/" + caller);
        assertThat(withLink.get("assigned_to").asText()).as("empty reference").isEmpty();
        assertThat(without.get("caller_id").asText()).isEqualTo(caller);
    }

    @Test
    void pagesInThePollFormAreTheBytesTheGeneralWriterGivesEvenAfterWritesChangeRowsAndColumns() {
        SimTable table = sim.table("u_probe");
        String first = table.insert(Map.of("u_name", "caf\u00e9 \ud83d\ude80", "u_note", "a \"quoted\" \\ line\n"))
                .get("sys_id");
        table.insert(Map.of("u_name", "second"));
        String poll = "/api/now/table/u_probe?sysparm_exclude_reference_link=true&sysparm_query=ORDERBYsys_id";
        // Without references, links are excluded or not to the same effect, but only the poll form is kept.
        String general = "/api/now/table/u_probe?sysparm_query=ORDERBYsys_id";

        String before = client.get(poll).body();
        assertThat(client.get(poll).body()).as("served again from what was kept").isEqualTo(before);
        assertThat(before).isEqualTo(client.get(general).body());

        clock.advance(Duration.ofSeconds(1));
        table.update(first, Map.of("u_name", "renamed"));
        table.insert(Map.of("u_new_column", "x"));
        String after = client.get(poll).body();

        assertThat(after).isEqualTo(client.get(general).body()).isNotEqualTo(before).contains("renamed")
                .doesNotContain("caf\u00e9");
        String second = table.rows().stream().filter(r -> "second".equals(r.get("u_name"))).findFirst()
                .orElseThrow().get("sys_id");
        assertThat(json(client.get(poll + "%5Esys_id=" + second)).get("result").get(0).get("u_new_column").asText())
                .as("a column added later is written, empty, in rows kept before it existed").isEmpty();
    }

    @Test
    void statsCountsMatchingRecords() {
        sim.table("incident").insert(Map.of("priority", "1"));
        sim.table("incident").insert(Map.of("priority", "2"));

        JsonNode r = json(client.get("/api/now/stats/incident?sysparm_count=true&sysparm_query=priority%3D1"));

        assertThat(r.get("result").get("stats").get("count").asText()).isEqualTo("1");
    }
}
