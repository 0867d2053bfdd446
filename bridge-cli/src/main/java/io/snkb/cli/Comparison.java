package io.snkb.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares a ServiceNow table with the latest event per key in Kafka: which keys match field by field,
 * which differ, which are missing from Kafka and which Kafka has that the table does not. Immutable.
 */
final class Comparison {
    private static final int EXAMPLES = 5;

    private final int simulatorKeys;
    private final int kafkaKeys;
    private final int matching;
    private final List<String> missing;
    private final List<String> different;
    private final List<String> extra;

    private Comparison(int simulatorKeys, int kafkaKeys, int matching, List<String> missing,
                       List<String> different, List<String> extra) {
        this.simulatorKeys = simulatorKeys;
        this.kafkaKeys = kafkaKeys;
        this.matching = matching;
        this.missing = List.copyOf(missing);
        this.different = List.copyOf(different);
        this.extra = List.copyOf(extra);
    }

    static Comparison of(List<Map<String, String>> rows, Map<String, Map<String, String>> latestByKey) {
        List<String> missing = new ArrayList<>();
        List<String> different = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int matching = 0;
        for (Map<String, String> row : rows) {
            String sysId = row.get("sys_id");
            seen.add(sysId);
            Map<String, String> event = latestByKey.get(sysId);
            if (event == null) {
                missing.add(sysId);
            } else if (sameFields(row, event)) {
                matching++;
            } else {
                different.add(sysId);
            }
        }
        List<String> extra = latestByKey.keySet().stream().filter(k -> !seen.contains(k)).sorted().toList();
        return new Comparison(rows.size(), latestByKey.size(), matching, missing, different, extra);
    }

    private static boolean sameFields(Map<String, String> row, Map<String, String> event) {
        for (Map.Entry<String, String> field : row.entrySet()) {
            if (!event.containsKey(field.getKey()) || !Objects.equals(field.getValue(), event.get(field.getKey()))) {
                return false;
            }
        }
        return true;
    }

    boolean allMatch() {
        return matching == simulatorKeys && kafkaKeys == simulatorKeys;
    }

    int matching() {
        return matching;
    }

    int simulatorKeys() {
        return simulatorKeys;
    }

    void print(PrintWriter out) {
        out.printf("Summary%n");
        out.printf("  keys in the simulator's incident table  %d%n", simulatorKeys);
        out.printf("  keys in Kafka (latest event per key)     %d%n", kafkaKeys);
        out.printf("  matching field by field                  %d%n", matching);
        out.printf("  different                                %d%s%n", different.size(), examples(different));
        out.printf("  missing from Kafka                       %d%s%n", missing.size(), examples(missing));
        out.printf("  in Kafka but not in the simulator        %d%s%n", extra.size(), examples(extra));
        out.println(allMatch() ? "Every key matches." : "Kafka does NOT match the simulator.");
    }

    private static String examples(List<String> keys) {
        if (keys.isEmpty()) {
            return "";
        }
        return "  e.g. " + String.join(", ", keys.subList(0, Math.min(EXAMPLES, keys.size())));
    }
}
