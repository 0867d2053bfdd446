package io.snkb.testkit.servicenow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Fills a simulator with synthetic, reproducible data: {@code sys_user}, {@code sys_user_group} and
 * {@code cmn_location} rows and incident-like records referring to them, with long descriptions and notes in
 * several scripts and emoji. Optionally the incidents carry explicit timestamps with many rows sharing one
 * second, the case that breaks pollers keyed on {@code sys_updated_on} alone.
 *
 * <p>Immutable once built; {@link #seed} may be called from any thread (the tables serialize the writes).
 */
public final class Seeder {

    private static final String[] NOTES = {
        "Customer reports the VPN drops every 10 minutes.",
        "Grüße aus München: Drucker im 3. Stock druckt nur leere Seiten.",
        "L'imprimante du service comptabilité affiche « erreur 0x1F ».",
        "ネットワークに接続できません。再起動しても直りません。",
        "Пользователь не может войти в систему после смены пароля.",
        "Laptop fan is very loud 🔥💻 — user asks for a replacement 🙏",
        "✅ Patched and rebooted; monitoring for 24h 🚀",
        "مشكلة في البريد الإلكتروني: الرسائل لا تصل",
    };
    private static final String[] WORDS = {"server", "network", "printer", "outage", "latency", "password",
        "mailbox", "database", "certificate", "backup", "switch", "firewall", "disk", "quota", "license"};
    private static final String[] CATEGORIES = {"inquiry", "software", "hardware", "network", "database"};

    private final int incidents;
    private final int users;
    private final int groups;
    private final int locations;
    private final long randomSeed;
    private final int descriptionLength;
    private final Instant firstStamp;
    private final int rowsPerSecond;

    private Seeder(Builder b) {
        this.incidents = b.incidents;
        this.users = b.users;
        this.groups = b.groups;
        this.locations = b.locations;
        this.randomSeed = b.randomSeed;
        this.descriptionLength = b.descriptionLength;
        this.firstStamp = b.firstStamp;
        this.rowsPerSecond = b.rowsPerSecond;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The sys_ids of what {@link #seed} created, in creation order. */
    public record Seeded(List<String> users, List<String> groups, List<String> locations, List<String> incidents) {
    }

    /** Creates the rows in {@code sim} and returns their sys_ids. */
    public Seeded seed(ServiceNowSimulator sim) {
        Random random = new Random(randomSeed);
        List<String> locationIds = create(sim.table("cmn_location"), locations,
                i -> Map.of("name", "Location " + (i + 1), "city", pick(random, "Amsterdam", "Lyon", "Osaka",
                        "São Paulo", "Zürich"), "country", pick(random, "NL", "FR", "JP", "BR", "CH")));
        List<String> userIds = create(sim.table("sys_user"), users, i -> Map.of("name", "User " + (i + 1),
                "user_name", "user." + (i + 1), "email", "user." + (i + 1) + "@example.com", "active", "true",
                "location", locationIds.isEmpty() ? "" : locationIds.get(random.nextInt(locationIds.size()))));
        List<String> groupIds = create(sim.table("sys_user_group"), groups, i -> Map.of("name", "Group " + (i + 1),
                "manager", userIds.isEmpty() ? "" : userIds.get(random.nextInt(userIds.size()))));
        List<String> incidentIds = new ArrayList<>(incidents);
        SimTable incident = sim.table("incident");
        for (int i = 0; i < incidents; i++) {
            Map<String, String> row = incidentRow(random, i, userIds, groupIds, locationIds);
            incidentIds.add((firstStamp == null ? incident.insert(row) : incident.insertWithSysFields(row))
                    .get("sys_id"));
        }
        return new Seeded(userIds, groupIds, locationIds, incidentIds);
    }

    private Map<String, String> incidentRow(Random random, int i, List<String> userIds, List<String> groupIds,
            List<String> locationIds) {
        Map<String, String> row = new LinkedHashMap<>();
        String priority = String.valueOf(1 + random.nextInt(5));
        row.put("short_description", WORDS[random.nextInt(WORDS.length)] + " issue #" + (i + 1) + " — "
                + NOTES[random.nextInt(NOTES.length)]);
        row.put("description", longText(random));
        row.put("comments", NOTES[random.nextInt(NOTES.length)]);
        row.put("work_notes", NOTES[random.nextInt(NOTES.length)]);
        row.put("caller_id", any(random, userIds));
        row.put("assigned_to", random.nextInt(4) == 0 ? "" : any(random, userIds));
        row.put("assignment_group", any(random, groupIds));
        row.put("location", any(random, locationIds));
        row.put("category", CATEGORIES[random.nextInt(CATEGORIES.length)]);
        row.put("priority", priority);
        row.put("impact", String.valueOf(1 + random.nextInt(3)));
        row.put("urgency", String.valueOf(1 + random.nextInt(3)));
        row.put("state", pick(random, "1", "2", "3", "6", "7"));
        row.put("active", String.valueOf(!row.get("state").equals("7")));
        row.put("reassignment_count", String.valueOf(random.nextInt(4)));
        if (firstStamp != null) {
            String stamp = SimTimes.format(firstStamp.plusSeconds(i / rowsPerSecond));
            row.put("opened_at", stamp);
            row.put("sys_created_on", stamp);
            row.put("sys_updated_on", stamp);
        }
        return row;
    }

    private String longText(Random random) {
        StringBuilder sb = new StringBuilder(descriptionLength + 32);
        while (sb.length() < descriptionLength) {
            sb.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(12) == 0 ? ".\n" : " ");
        }
        return sb.append(NOTES[random.nextInt(NOTES.length)]).toString();
    }

    private static List<String> create(SimTable table, int count, java.util.function.IntFunction<Map<String,
            String>> row) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(table.insert(row.apply(i)).get("sys_id"));
        }
        return ids;
    }

    private static String any(Random random, List<String> ids) {
        return ids.isEmpty() ? "" : ids.get(random.nextInt(ids.size()));
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }

    /** Configures a {@link Seeder}; not thread-safe. */
    public static final class Builder {
        private int incidents = 100;
        private int users = 20;
        private int groups = 5;
        private int locations = 5;
        private long randomSeed = 42;
        private int descriptionLength = 2000;
        private Instant firstStamp;
        private int rowsPerSecond = 1;

        private Builder() {
        }

        /** Incident rows to create; default 100. */
        public Builder incidents(int n) {
            this.incidents = nonNegative(n, "incidents");
            return this;
        }

        /** {@code sys_user} rows; default 20. */
        public Builder users(int n) {
            this.users = nonNegative(n, "users");
            return this;
        }

        /** {@code sys_user_group} rows; default 5. */
        public Builder groups(int n) {
            this.groups = nonNegative(n, "groups");
            return this;
        }

        /** {@code cmn_location} rows; default 5. */
        public Builder locations(int n) {
            this.locations = nonNegative(n, "locations");
            return this;
        }

        /** The seed of the random choices; the same seed gives the same data. Default 42. */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /** The approximate length of each description in characters; default 2000. */
        public Builder descriptionLength(int chars) {
            this.descriptionLength = nonNegative(chars, "descriptionLength");
            return this;
        }

        /**
         * Stamps incidents explicitly from {@code first}, {@code rowsPerSecond} rows per second (so that many
         * share one {@code sys_updated_on}); by default the simulator clock stamps them.
         */
        public Builder stamped(Instant first, int rowsPerSecond) {
            this.firstStamp = Objects.requireNonNull(first, "first");
            if (rowsPerSecond <= 0) {
                throw new IllegalArgumentException("rowsPerSecond must be positive");
            }
            this.rowsPerSecond = rowsPerSecond;
            return this;
        }

        public Seeder build() {
            return new Seeder(this);
        }

        private static int nonNegative(int n, String what) {
            if (n < 0) {
                throw new IllegalArgumentException(what + " must not be negative");
            }
            return n;
        }
    }
}
