package io.snkb.testkit.servicenow;

import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tables of one simulated instance and the clock that stamps them. Thread-safe: tables are created
 * atomically on first use and each table guards its own rows.
 */
final class SimDatabase {

    static final String AUDIT_DELETE = "sys_audit_delete";
    static final List<String> STANDARD_TABLES = List.of("incident", "sys_user", "sys_user_group", "cmn_location",
            "cmdb_ci", AUDIT_DELETE, "problem", "change_request", "core_company");

    private final Map<String, SimTable> tables = new ConcurrentHashMap<>();
    private final Clock clock;

    SimDatabase(Clock clock) {
        this.clock = clock;
        STANDARD_TABLES.forEach(this::table);
        StandardSchema.apply(this);
    }

    SimTable table(String name) {
        return tables.computeIfAbsent(name, n -> new SimTable(n, this));
    }

    Optional<SimTable> existing(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    String now() {
        return SimTimes.format(clock.instant());
    }

    Clock clock() {
        return clock;
    }

    /** Writes the {@code sys_audit_delete} row ServiceNow keeps for a deleted record of an audited table. */
    void auditDelete(SimTable from, Map<String, String> deleted, String user) {
        if (from.name().equals(AUDIT_DELETE)) {
            return;
        }
        Map<String, String> audit = new LinkedHashMap<>();
        audit.put("tablename", from.name());
        audit.put("documentkey", deleted.get("sys_id"));
        audit.put("display_value", from.displayValueOf(deleted));
        audit.put("payload", AuditPayload.xml(from.name(), deleted));
        table(AUDIT_DELETE).insertAs(audit, user, Collections.emptySet());
    }
}
