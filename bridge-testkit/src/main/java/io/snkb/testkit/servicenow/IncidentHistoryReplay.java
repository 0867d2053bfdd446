package io.snkb.testkit.servicenow;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the incident event log (see {@code examples/data/README.md}) into the {@code incident} table: each CSV
 * row is the full state of one incident after one change, applied in {@code sys_updated_at} order (stable, then
 * {@code sys_mod_count}) as a create the first time its {@code number} appears and as an update after that.
 *
 * <p>Mapping: {@code ?} becomes {@code ""}; {@code TRUE}/{@code FALSE} become {@code "true"}/{@code "false"};
 * times {@code dd-MM-yyyy HH:mm} become raw UTC {@code yyyy-MM-dd HH:mm:00}; {@code sys_created_at} and
 * {@code sys_updated_at} are stored under ServiceNow's names {@code sys_created_on} and {@code sys_updated_on}.
 * People, groups, locations, configuration items, problems, changes and vendors become rows of
 * {@code sys_user}, {@code sys_user_group}, {@code cmn_location}, {@code cmdb_ci}, {@code problem},
 * {@code change_request} and {@code core_company} (one per distinct name, found again by name on a later replay)
 * and the incident holds their {@code sys_id}. {@code sys_created_by}/{@code sys_updated_by} stay strings and
 * choice columns keep the labels the data set publishes (e.g. {@code incident_state} "Resolved").
 *
 * <p>By default rows carry the CSV's own {@code sys_updated_on}, {@code sys_mod_count} and authors; sorted, these
 * never decrease, so a poller reading {@code sys_updated_on} while the replay runs sees time move forward. Many
 * events share one minute, so a poller must not skip rows stamped with the minute it last saw.
 *
 * <p>Immutable after loading; each {@link #replayInto} runs on its own thread.
 */
public final class IncidentHistoryReplay {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentHistoryReplay.class);
    private static final DateTimeFormatter CSV_TIME = DateTimeFormatter.ofPattern("dd-MM-yyyy HH:mm");
    private static final Set<String> TIME_COLUMNS = Set.of("opened_at", "sys_created_at", "sys_updated_at",
            "resolved_at", "closed_at");
    private static final Map<String, String> RENAMED = Map.of("sys_created_at", "sys_created_on",
            "sys_updated_at", "sys_updated_on");
    private static final Map<String, String> REFERENCES = Map.ofEntries(Map.entry("caller_id", "sys_user"),
            Map.entry("opened_by", "sys_user"), Map.entry("assigned_to", "sys_user"),
            Map.entry("resolved_by", "sys_user"), Map.entry("assignment_group", "sys_user_group"),
            Map.entry("location", "cmn_location"), Map.entry("cmdb_ci", "cmdb_ci"),
            Map.entry("problem_id", "problem"), Map.entry("rfc", "change_request"),
            Map.entry("caused_by", "change_request"), Map.entry("vendor", "core_company"));

    private final List<Map<String, String>> events;
    private final int distinctIncidents;

    private IncidentHistoryReplay(List<Map<String, String>> events) {
        this.events = List.copyOf(events);
        this.distinctIncidents = (int) events.stream().map(e -> e.get("number")).distinct().count();
    }

    /**
     * Reads and orders the events of a CSV file with the data set's header.
     *
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if a row lacks {@code number} or has an unreadable time
     */
    public static IncidentHistoryReplay fromCsv(Path csv) {
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return new IncidentHistoryReplay(order(read(reader)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + csv, e);
        }
    }

    private static List<Map<String, String>> read(Reader reader) throws IOException {
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class).with(schema)
                .readValues(reader)) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
        }
        return rows;
    }

    private static List<Map<String, String>> order(List<Map<String, String>> raw) {
        List<Map<String, String>> mapped = new ArrayList<>(raw.size());
        for (Map<String, String> row : raw) {
            if (row.getOrDefault("number", "").isEmpty()) {
                throw new IllegalArgumentException("CSV row without number: " + row);
            }
            mapped.add(mapValues(row));
        }
        mapped.sort(Comparator.comparing((Map<String, String> e) -> e.get("sys_updated_on"))
                .thenComparingLong(e -> parseLong(e.get("sys_mod_count"))));
        return mapped;
    }

    /** The row with ServiceNow values; reference columns still hold the names, resolved when applied. */
    private static Map<String, String> mapValues(Map<String, String> row) {
        Map<String, String> out = new LinkedHashMap<>();
        row.forEach((column, value) -> {
            String v = value == null ? "" : value.trim();
            if (v.equals("?")) {
                v = "";
            } else if (v.equals("TRUE") || v.equals("FALSE")) {
                v = v.toLowerCase(java.util.Locale.ROOT);
            } else if (TIME_COLUMNS.contains(column) && !v.isEmpty()) {
                v = toRaw(v);
            }
            out.put(RENAMED.getOrDefault(column, column), v);
        });
        return out;
    }

    private static String toRaw(String csvTime) {
        try {
            return SimTimes.RAW.format(LocalDateTime.parse(csvTime, CSV_TIME));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("Unreadable time '" + csvTime + "'", e);
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The number of events (CSV rows). */
    public int totalEvents() {
        return events.size();
    }

    /** The number of distinct incidents ({@code number}s). */
    public int distinctIncidents() {
        return distinctIncidents;
    }

    /** The events in replay order, with ServiceNow values and reference columns still holding names. */
    public List<Map<String, String>> events() {
        return events;
    }

    /** Replays synchronously, as fast as possible, and returns the result. */
    public ReplayResult replay(ServiceNowSimulator sim) {
        return replayInto(sim, ReplayOptions.instant()).done().join();
    }

    /** Starts replaying into {@code sim} on a daemon thread. */
    public ReplayHandle replayInto(ServiceNowSimulator sim, ReplayOptions options) {
        int total = options.maxEvents() == 0 ? events.size() : Math.min(options.maxEvents(), events.size());
        ReplayHandle handle = new ReplayHandle(total);
        Thread thread = new Thread(() -> run(sim, options, handle), "sn-sim-replay");
        thread.setDaemon(true);
        thread.start();
        return handle;
    }

    private void run(ServiceNowSimulator sim, ReplayOptions options, ReplayHandle handle) {
        long startNanos = System.nanoTime();
        try {
            Applier applier = new Applier(sim, options.historicalStamps());
            int i = 0;
            for (; i < handle.total() && !handle.stopRequested(); i++) {
                pace(options, startNanos, i, handle);
                if (handle.stopRequested()) {
                    break;
                }
                applier.apply(events.get(i));
                handle.countApplied();
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            ReplayResult result = new ReplayResult(handle.applied(), handle.total(), applier.created,
                    applier.updated, i < handle.total(), elapsed);
            LOG.info("Replayed {} of {} incident events ({} created) in {} ms", result.applied(), result.total(),
                    result.created(), elapsed.toMillis());
            handle.future().complete(result);
        } catch (RuntimeException e) {
            LOG.warn("Incident replay failed after {} events", handle.applied(), e);
            handle.future().completeExceptionally(e);
        }
    }

    private static void pace(ReplayOptions options, long startNanos, int index, ReplayHandle handle) {
        if (options.eventsPerSecond() == 0) {
            return;
        }
        long due = startNanos + (long) (index * 1_000_000_000L / options.eventsPerSecond());
        long wait;
        while ((wait = due - System.nanoTime()) > 0 && !handle.stopRequested()) {
            LockSupport.parkNanos(Math.min(wait, 50_000_000L));
        }
    }

    /** Applies events to one simulator, remembering incidents and referenced rows by name. Single-threaded. */
    private static final class Applier {
        private final ServiceNowSimulator sim;
        private final boolean historical;
        private final SimTable incidents;
        private final Map<String, String> incidentIds = new HashMap<>();
        private final Map<String, Map<String, String>> refIds = new HashMap<>();
        private int created;
        private int updated;

        Applier(ServiceNowSimulator sim, boolean historical) {
            this.sim = sim;
            this.historical = historical;
            this.incidents = sim.table("incident");
            incidents.rows().forEach(r -> incidentIds.putIfAbsent(r.get("number"), r.get("sys_id")));
        }

        void apply(Map<String, String> event) {
            Map<String, String> fields = new LinkedHashMap<>(event);
            REFERENCES.forEach((column, table) -> {
                String name = fields.get(column);
                if (name != null && !name.isEmpty()) {
                    fields.put(column, reference(table, name));
                }
            });
            if (!historical) {
                SimTable.SYS_FIELDS.forEach(fields::remove);
            }
            String sysId = incidentIds.get(event.get("number"));
            if (sysId == null) {
                Map<String, String> row = historical ? incidents.insertWithSysFields(fields)
                        : incidents.insert(fields);
                incidentIds.put(event.get("number"), row.get("sys_id"));
                created++;
            } else {
                if (historical) {
                    incidents.updateWithSysFields(sysId, fields);
                } else {
                    incidents.update(sysId, fields);
                }
                updated++;
            }
        }

        private String reference(String table, String name) {
            Map<String, String> byName = refIds.computeIfAbsent(table, this::indexByName);
            return byName.computeIfAbsent(name, n -> sim.table(table).insert(referencedRow(table, n)).get("sys_id"));
        }

        private Map<String, String> indexByName(String table) {
            Map<String, String> index = new HashMap<>();
            String key = keyColumn(table);
            sim.table(table).rows().forEach(r -> {
                if (r.get(key) != null) {
                    index.putIfAbsent(r.get(key), r.get("sys_id"));
                }
            });
            return index;
        }

        private static Map<String, String> referencedRow(String table, String name) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put(keyColumn(table), name);
            if (table.equals("sys_user")) {
                row.put("user_name", name.toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", "."));
                row.put("active", "true");
            }
            return row;
        }

        /** Task tables are shown by number, so the data set's name goes to their short description. */
        private static String keyColumn(String table) {
            return table.equals("problem") || table.equals("change_request") ? "short_description" : "name";
        }
    }
}
