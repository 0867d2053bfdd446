package io.snkb.testkit.servicenow;

import static io.snkb.testkit.servicenow.SimClient.json;
import static io.snkb.testkit.servicenow.SimClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EncodedQueryTest {

    private ServiceNowSimulator sim;
    private SimClient client;
    private SimTable incident;

    @BeforeEach
    void start() {
        sim = ServiceNowSimulator.builder().user("utc", "pw", ZoneOffset.UTC)
                .user(SimUser.builder("kiritimati").password("pw").timeZone(ZoneId.of("Pacific/Kiritimati"))
                        .build())
                .build().start();
        client = SimClient.basic(sim, "utc", "pw");
        incident = sim.table("incident");
        row("a", "1", "2024-01-01 09:59:59", "Email down");
        row("b", "2", "2024-01-01 10:00:00", "email slow");
        row("c", "10", "2024-01-01 10:00:00", "VPN down");
        row("d", "", "2024-01-02 00:00:00", "Printer");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private void row(String key, String priority, String updated, String description) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("short_description", description);
        r.put("priority", priority);
        r.put("u_key", key);
        r.put("sys_updated_on", updated);
        incident.insertWithSysFields(r);
    }

    private List<String> keys(String query) {
        return keys(client, query);
    }

    private static List<String> keys(SimClient c, String query) {
        JsonNode result = json(c.get("/api/now/table/incident?sysparm_query=" + q(query))).get("result");
        List<String> keys = new ArrayList<>();
        result.forEach(r -> keys.add(r.get("u_key").asText()));
        return keys;
    }

    @Test
    void comparisonOperators() {
        assertThat(keys("u_key=b")).containsExactly("b");
        assertThat(keys("u_key!=b^ORDERBYu_key")).containsExactly("a", "c", "d");
        assertThat(keys("priority>1^ORDERBYu_key")).as("integers compare numerically").containsExactly("b", "c");
        assertThat(keys("priority>=2^ORDERBYu_key")).containsExactly("b", "c");
        assertThat(keys("priority<2")).containsExactly("a");
        assertThat(keys("priority<=10^ORDERBYu_key")).containsExactly("a", "b", "c");
        assertThat(keys("u_key>b^ORDERBYu_key")).as("strings compare as strings").containsExactly("c", "d");
    }

    @Test
    void emptinessSetAndTextOperators() {
        assertThat(keys("priorityISEMPTY")).containsExactly("d");
        assertThat(keys("priorityISNOTEMPTY^ORDERBYu_key")).containsExactly("a", "b", "c");
        assertThat(keys("u_keyINa,c^ORDERBYu_key")).containsExactly("a", "c");
        assertThat(keys("u_keyNOT INa,c^ORDERBYu_key")).containsExactly("b", "d");
        assertThat(keys("short_descriptionSTARTSWITHemail^ORDERBYu_key")).containsExactly("a", "b");
        assertThat(keys("short_descriptionENDSWITHdown^ORDERBYu_key")).containsExactly("a", "c");
        assertThat(keys("short_descriptionLIKEmai^ORDERBYu_key")).containsExactly("a", "b");
        assertThat(keys("short_descriptionNOTLIKEmai^ORDERBYu_key")).containsExactly("c", "d");
    }

    @Test
    void orBindsTighterThanAndAndNqStartsAnOredGroup() {
        assertThat(keys("u_key=a^ORu_key=b^priority=2")).containsExactly("b");
        assertThat(keys("u_key=a^NQu_key=d^ORDERBYu_key")).containsExactly("a", "d");
    }

    @Test
    void orderByIsGlobalInOrderWrittenAndDescending() {
        assertThat(keys("ORDERBYDESCsys_updated_on^ORDERBYu_key")).containsExactly("d", "b", "c", "a");
        assertThat(keys("u_key=a^NQu_key=b^NQu_key=c^ORDERBYDESCu_key")).containsExactly("c", "b", "a");
    }

    @Test
    void defaultOrderIsBySysId() {
        List<String> expected = incident.rows().stream().map(r -> r.get("u_key")).toList();

        assertThat(keys("")).containsExactlyElementsOf(expected);
    }

    @Test
    void keysetQueryOfTheBridgeResumesExactlyAfterTheLastRow() {
        List<Map<String, String>> ordered = new ArrayList<>(incident.rows());
        ordered.sort(java.util.Comparator.comparing((Map<String, String> r) -> r.get("sys_updated_on"))
                .thenComparing(r -> r.get("sys_id")));
        Map<String, String> firstTied = ordered.get(1);

        List<String> after = keys("sys_updated_on>" + firstTied.get("sys_updated_on") + "^NQsys_updated_on="
                + firstTied.get("sys_updated_on") + "^sys_id>" + firstTied.get("sys_id")
                + "^ORDERBYsys_updated_on^ORDERBYsys_id");

        assertThat(after).containsExactly(ordered.get(2).get("u_key"), ordered.get(3).get("u_key"));
    }

    @Test
    void plainDateLiteralsAreUtcAndDateOnlyMeansMidnight() {
        assertThat(keys("sys_updated_on>=2024-01-01 10:00:00^ORDERBYu_key")).containsExactly("b", "c", "d");
        assertThat(keys("sys_updated_on>=2024-01-02")).containsExactly("d");
        assertThat(keys(client, "sys_updated_on<2024-01-01 10:00:00")).containsExactly("a");
    }

    @Test
    void dateGenerateIsReadInTheUsersTimeZone() {
        SimClient farEast = SimClient.basic(sim, "kiritimati", "pw");
        String query = "sys_updated_on>=javascript:gs.dateGenerate('2024-01-02','00:00:00')^ORDERBYu_key";

        // 2024-01-02 00:00 at UTC+14 is 2024-01-01 10:00 UTC, while for the UTC user it is midnight.
        assertThat(keys(farEast, query)).containsExactly("b", "c", "d");
        assertThat(keys(client, query)).containsExactly("d");
        assertThat(keys(farEast, "sys_updated_on>=2024-01-02 00:00:00")).as("plain literal stays UTC")
                .containsExactly("d");
    }

    @Test
    void plainLiteralsCanBeReadInTheUsersTimeZone() {
        try (ServiceNowSimulator local = ServiceNowSimulator.builder()
                .user(SimUser.builder("kiritimati").password("pw").timeZone(ZoneId.of("Pacific/Kiritimati")).build())
                .plainLiteralsInUserZone(true).build().start()) {
            SimTable table = local.table("incident");
            Map<String, String> r = new LinkedHashMap<>(Map.of("u_key", "b", "sys_updated_on", "2024-01-01 10:00:00"));
            table.insertWithSysFields(r);
            SimClient farEast = SimClient.basic(local, "kiritimati", "pw");

            assertThat(keys(farEast, "sys_updated_on>=2024-01-02 00:00:00")).containsExactly("b");
            assertThat(keys(farEast, "sys_updated_on>2024-01-02 00:00:00")).isEmpty();
            assertThat(local.table("sys_user").findBy("user_name", "kiritimati").orElseThrow().get("time_zone"))
                    .as("the user's record holds its zone").isEqualTo("Pacific/Kiritimati");
        }
    }

    @ParameterizedTest
    @EnumSource(RepeatedHourReading.class)
    void localTimeRepeatedWhenDaylightSavingEndsIsReadAsTheConfiguredInstant(RepeatedHourReading reading) {
        try (ServiceNowSimulator local = ServiceNowSimulator.builder()
                .user(SimUser.builder("ny").password("pw").timeZone(ZoneId.of("America/New_York")).build())
                .repeatedHourReading(reading).build().start()) {
            SimTable table = local.table("incident");
            // 01:30 in New York on 2026-11-01 is 05:30 UTC (EDT) and again 06:30 UTC (EST).
            for (String[] r : new String[][] {{"first", "2026-11-01 05:30:00"}, {"second", "2026-11-01 06:30:00"}}) {
                table.insertWithSysFields(new LinkedHashMap<>(Map.of("u_key", r[0], "sys_updated_on", r[1])));
            }
            SimClient newYork = SimClient.basic(local, "ny", "pw");
            String repeated = "sys_updated_on>=javascript:gs.dateGenerate('2026-11-01','01:30:00')^ORDERBYu_key";
            String unambiguous = "sys_updated_on>=javascript:gs.dateGenerate('2026-11-01','02:00:00')";

            assertThat(keys(newYork, repeated)).containsExactlyElementsOf(
                    reading == RepeatedHourReading.EARLIER ? List.of("first", "second") : List.of("second"));
            assertThat(keys(newYork, unambiguous)).as("02:00 EST is 07:00 UTC either way").isEmpty();
        }
    }

    @Test
    void conditionOnUnknownFieldIsDroppedSilently() {
        assertThat(keys("u_no_such_field=1^u_key=a")).containsExactly("a");
        assertThat(keys("u_no_such_field=1")).hasSize(4);
    }

    @Test
    void invalidQueryReturnsNoRowsWhenConfigured() {
        try (ServiceNowSimulator strict = ServiceNowSimulator.builder().user("u", "pw", ZoneOffset.UTC)
                .invalidQueryReturnsNoRows(true).build().start()) {
            strict.table("incident").insert(Map.of("u_key", "a"));
            SimClient c = SimClient.basic(strict, "u", "pw");

            assertThat(keys(c, "u_no_such_field=1")).isEmpty();
            assertThat(keys(c, "u_key=a")).containsExactly("a");
        }
    }

    @Test
    void dotWalkedConditionFollowsReference() {
        String caller = sim.table("sys_user").insert(Map.of("name", "Abel Tuter")).get("sys_id");
        incident.update(incident.findBy("u_key", "c").orElseThrow().get("sys_id"), Map.of("caller_id", caller));

        assertThat(keys("caller_id.name=Abel Tuter")).containsExactly("c");
    }

    @Test
    void aColumnMixingIntegersAndTextIsSortedTheSameWayEveryTimeWithoutRefusal() {
        java.util.Random random = new java.util.Random(7);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String value = switch (random.nextInt(3)) {
                case 0 -> String.valueOf(random.nextInt(100));
                case 1 -> random.nextInt(10) + "a";
                default -> "0" + random.nextInt(100);
            };
            rows.add(Map.of("v", value, "n", String.valueOf(i)));
        }
        java.util.Comparator<Map<String, String>> order = (a, b) -> EncodedQuery.compareValues(a.get("v"), b.get("v"));
        List<Map<String, String>> once = new ArrayList<>(rows);
        List<Map<String, String>> again = new ArrayList<>(rows);

        EncodedQuery.sort(once, order);
        EncodedQuery.sort(again, order);

        assertThat(once).isEqualTo(again).containsExactlyInAnyOrderElementsOf(rows);
        for (int i = 1; i < once.size(); i++) {
            Map<String, String> previous = once.get(i - 1);
            Map<String, String> row = once.get(i);
            if (EncodedQuery.isInteger(previous.get("v")) && EncodedQuery.isInteger(row.get("v"))) {
                assertThat(Long.parseLong(previous.get("v"))).isLessThanOrEqualTo(Long.parseLong(row.get("v")));
            }
        }
    }
}
