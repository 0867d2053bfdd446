package io.snkb.testkit.servicenow;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.testkit.ManualClock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The indexed search answers every query as the plain evaluation does (every row in {@code sys_id} order tested,
 * the matches stably sorted, the window cut): same rows in the same order, same count, and when no count is
 * asked for, a count that still tells whether rows follow the window; and it reads one state of the table while
 * writes go on.
 */
class TableSearchTest {

    private static final String KEYSET = "^ORDERBYsys_updated_on^ORDERBYsys_id";
    private static final int[][] WINDOWS = {{0, 10_000}, {0, 7}, {5, 10}, {58, 3}, {61, 60}, {195, 50}, {400, 5}};
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final Random random = new Random(7);
    private SimDatabase db;
    private SimTable incident;
    private List<String> callers;

    @BeforeEach
    void seed() {
        db = new SimDatabase(ManualClock.at("2024-03-05T06:00:00Z"));
        incident = db.table("incident");
        callers = List.of(db.table("sys_user").insert(Map.of("name", "Abel")).get("sys_id"),
                db.table("sys_user").insert(Map.of("name", "Beth")).get("sys_id"));
        // 60 rows in each of three seconds, as a bulk update leaves them, a few around them.
        for (int i = 0; i < 180; i++) {
            insert("2024-01-01 10:00:0" + (i / 60 + 1));
        }
        insert("2024-01-01 09:59:59");
        insert("2024-01-01 10:00:05");
        insert("");
    }

    private Map<String, String> insert(String updatedOn) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("sys_updated_on", updatedOn);
        row.put("u_group", "g" + random.nextInt(4));
        row.put("correlation_id", "key-" + random.nextInt(150));
        row.put("priority", String.valueOf(random.nextInt(12)));
        row.put("caller_id", callers.get(random.nextInt(callers.size())));
        return incident.insertWithSysFields(row);
    }

    /** Queries of every shape the indexes serve, and some they leave to the plain evaluation. */
    private List<String> queries() {
        List<Map<String, String>> tied = keysetOrder().stream()
                .filter(r -> r.get("sys_updated_on").equals("2024-01-01 10:00:02")).toList();
        String time = "2024-01-01 10:00:02";
        String after = tied.get(tied.size() / 2).get("sys_id");
        String local = "javascript:gs.dateGenerate('2024-01-01','11:00:02')";
        String id = incident.rows().get(incident.size() / 3).get("sys_id");
        String ids = String.join(",", id, tied.get(0).get("sys_id"), after, "no-such-id", id);
        return List.of("", KEYSET.substring(1),
                "sys_updated_on>=" + time + KEYSET,
                "sys_updated_on>" + time + "^NQsys_updated_on=" + time + "^sys_id>" + after + KEYSET,
                "sys_updated_on>" + time + "^ORsys_updated_on=" + time + "^sys_id>" + after + KEYSET,
                "sys_updated_on>" + local + "^NQsys_updated_on=" + local + "^sys_id>" + after + KEYSET,
                "sys_updated_on>=2024-01-01 10:00:01^sys_updated_on<=" + time + "^ORDERBYsys_updated_on",
                "sys_updated_on<" + time + "^ORDERBYDESCsys_updated_on",
                "ORDERBYDESCsys_updated_on", "ORDERBYDESCsys_updated_on^ORDERBYDESCsys_id",
                "ORDERBYsys_updated_on^ORDERBYDESCsys_id", "ORDERBYsys_updated_on^ORDERBYsys_updated_on",
                "sys_updated_onISEMPTY", "sys_id>=4^sys_id<b^ORDERBYsys_id", "sys_id>=4^sys_id<b^sys_id>" + id
                        + "^ORDERBYsys_id", "ORDERBYDESCsys_id^ORDERBYu_group", "sys_id=" + id, "sys_id<" + id,
                "u_group=g1", "u_group=g1^ORDERBYDESCsys_updated_on", "correlation_id=key-7",
                "correlation_id=key-7^u_group=g2", "u_group=g1^correlation_id=key-9^ORDERBYsys_id",
                "u_group=g1^NQu_group=g2^ORDERBYsys_updated_on", "u_group=g3^ORu_group=g0" + KEYSET,
                "priority>2^ORDERBYpriority", "ORDERBYu_group^ORDERBYpriority", "ORDERBYpriority^ORDERBYsys_id",
                "priority=3^ORDERBYsys_updated_on", "sys_updated_on>=2024-01-01 10:00:03^u_group=g2" + KEYSET,
                "caller_id.name=Abel" + KEYSET, "caller_id.name=Beth^u_group=g1^ORDERBYDESCsys_id",
                "sys_updated_on>2024-01-01 10:00:09^ORDERBYsys_updated_on", "u_group=nothing^ORDERBYsys_id",
                "sys_idIN" + ids + "^ORDERBYsys_id", "sys_idIN" + ids, "u_groupINg1,g3,g1",
                "correlation_idINkey-1,key-2^ORDERBYDESCsys_updated_on", "sys_updated_onIN" + time
                        + ",2024-01-01 10:00:05^u_group=g2");
    }

    @Test
    void answersLikeThePlainEvaluationOverRowsSharingOneSecond() {
        assertSameAsPlainEvaluation();
    }

    @Test
    void answersLikeThePlainEvaluationAfterUpdatesMoveRowsAndDeletesRemoveThem() {
        assertSameAsPlainEvaluation();
        List<Map<String, String>> rows = incident.rows();
        for (int i = 0; i < rows.size(); i += 3) {
            String sysId = rows.get(i).get("sys_id");
            incident.updateWithSysFields(sysId, Map.of("sys_updated_on", "2024-01-01 10:00:0" + random.nextInt(5),
                    "u_group", "g" + random.nextInt(4)));
        }
        for (int i = 1; i < rows.size(); i += 7) {
            incident.delete(rows.get(i).get("sys_id"));
        }
        incident.purge(rows.get(2).get("sys_id"));
        for (int i = 0; i < 30; i++) {
            insert("2024-01-01 10:00:02");
        }

        assertSameAsPlainEvaluation();
    }

    @Test
    void answersLikeThePlainEvaluationWhenValuesCompareAsIntegers() {
        assertSameAsPlainEvaluation();
        for (String sysId : List.of("9", "10", "011", "-3", "5")) {
            Map<String, String> row = new LinkedHashMap<>(Map.of("sys_id", sysId, "u_group", "g1", "priority",
                    "100", "sys_updated_on", "2024-01-01 10:00:02"));
            incident.insertWithSysFields(row);
        }
        assertSameAsPlainEvaluation();

        incident.insertWithSysFields(Map.of("sys_updated_on", "20240101", "u_group", "7"));
        assertSameAsPlainEvaluation();

        incident.insertWithSysFields(Map.of("sys_updated_on", "999", "u_group", "10"));
        assertSameAsPlainEvaluation();
        assertThat(plain("sys_id>=4^ORDERBYsys_id", ZoneOffset.UTC)).as("integers among the ids")
                .extracting(r -> r.get("sys_id")).contains("5", "9", "10", "011");
    }

    @Test
    void readersSeeOneStateOfTheTableWhileRowsMove() throws Exception {
        List<String> ids = ids(incident.rows());
        int size = ids.size();
        EncodedQuery.Context ctx = new EncodedQuery.Context(db, incident, ZoneOffset.UTC, false);
        EncodedQuery keyset = EncodedQuery.parse(KEYSET.substring(1), ctx);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> moves = writer.submit(() -> {
                for (int i = 0; i < 20_000; i++) {
                    incident.updateWithSysFields(ids.get(i % size), Map.of("sys_updated_on",
                            "2024-01-01 10:00:0" + i % 10));
                }
            });
            while (!moves.isDone()) {
                TableSearch.Result read = TableSearch.run(keyset, ctx, 0, size, true);

                assertThat(read.total()).isEqualTo(size);
                assertThat(read.page()).hasSize(size).isSortedAccordingTo(Comparator
                        .comparing((Map<String, String> r) -> r.get("sys_updated_on"))
                        .thenComparing(r -> r.get("sys_id")));
            }
            moves.get();
        } finally {
            writer.shutdownNow();
        }
    }

    private void assertSameAsPlainEvaluation() {
        for (String query : queries()) {
            for (ZoneId zone : List.of(ZoneOffset.UTC, PARIS)) {
                List<Map<String, String>> expected = plain(query, zone);
                for (int[] window : WINDOWS) {
                    assertWindow(query, zone, expected, window[0], window[1]);
                }
            }
        }
    }

    private void assertWindow(String query, ZoneId zone, List<Map<String, String>> expected, int offset,
            int limit) {
        EncodedQuery.Context ctx = new EncodedQuery.Context(db, incident, zone, false);
        EncodedQuery parsed = EncodedQuery.parse(query, ctx);
        List<Map<String, String>> page = expected.subList(Math.min(offset, expected.size()),
                Math.min(offset + limit, expected.size()));
        String what = query + " in " + zone + ", offset " + offset + ", limit " + limit;

        TableSearch.Result counted = TableSearch.run(parsed, ctx, offset, limit, true);
        TableSearch.Result uncounted = TableSearch.run(parsed, ctx, offset, limit, false);

        assertThat(ids(counted.page())).as(what).containsExactlyElementsOf(ids(page));
        assertThat(counted.total()).as(what).isEqualTo(expected.size());
        assertThat(ids(uncounted.page())).as(what + ", no count").containsExactlyElementsOf(ids(page));
        assertThat(uncounted.total()).as(what + ", no count").isEqualTo(Math.min(expected.size(), offset + limit + 1));
    }

    private List<Map<String, String>> plain(String query, ZoneId zone) {
        EncodedQuery.Context ctx = new EncodedQuery.Context(db, incident, zone, false);
        EncodedQuery parsed = EncodedQuery.parse(query, ctx);
        List<Map<String, String>> matched = new ArrayList<>(incident.rows().stream()
                .filter(r -> parsed.matches(r, ctx)).toList());
        EncodedQuery.sort(matched, parsed.comparator(ctx));
        return matched;
    }

    private List<Map<String, String>> keysetOrder() {
        List<Map<String, String>> ordered = new ArrayList<>(incident.rows());
        ordered.sort(Comparator.comparing((Map<String, String> r) -> r.get("sys_updated_on"))
                .thenComparing(r -> r.get("sys_id")));
        return ordered;
    }

    private static List<String> ids(List<Map<String, String>> rows) {
        return rows.stream().map(r -> r.get("sys_id")).toList();
    }
}
