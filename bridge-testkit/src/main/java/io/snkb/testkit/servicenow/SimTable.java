package io.snkb.testkit.servicenow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One table of the simulated instance. Rows are raw ServiceNow records: every value a string (or null when
 * stored null), date-times in UTC {@code yyyy-MM-dd HH:mm:ss}, references holding the referenced {@code sys_id}.
 *
 * <p>Writes through this class stamp the {@code sys_*} fields exactly as writes through the HTTP API do, as the
 * user {@value #JAVA_API_USER}. {@link #insertWithSysFields} and {@link #updateWithSysFields} keep the
 * {@code sys_*} values they are given, for replaying history.
 *
 * <p>Thread-safe: each table serializes its writes; reads return immutable snapshots. The rows are kept in
 * {@code sys_id} order, which is also the order of a query without {@code ORDERBY}. Queries read through
 * indexes on the columns they order by or look up, made on first use and updated by every write under the same
 * lock, so that a page is found without sorting the matches and, when no count is asked for, without testing
 * the rows after it.
 */
public final class SimTable {

    /** The {@code sys_created_by}/{@code sys_updated_by} of rows written through the Java API. */
    public static final String JAVA_API_USER = "system";

    static final Set<String> SYS_FIELDS = Set.of("sys_id", "sys_created_on", "sys_created_by", "sys_updated_on",
            "sys_updated_by", "sys_mod_count");

    private final String name;
    private final SimDatabase db;
    private final Object lock = new Object();
    private final SysIdIndex rows = new SysIdIndex();
    /** Indexes on other columns, made when a query first needs one; guarded by {@code lock}. */
    private final Map<String, FieldIndex> indexes = new HashMap<>();
    private final Set<String> columns = ConcurrentHashMap.newKeySet();
    private final Map<String, String> defaults = new ConcurrentHashMap<>();
    private final Map<String, String> references = new ConcurrentHashMap<>();
    private final Set<String> dateTimeColumns = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, String>> choices = new ConcurrentHashMap<>();
    private final AtomicLong nextNumber = new AtomicLong();
    private volatile String numberPrefix;
    private volatile String displayField;
    private volatile boolean strictColumns;
    /**
     * Rows as last written in the Table API's most requested form (see {@link RecordRenderer#keepsRendered}), by
     * {@code sys_id}; an entry is only used for the very row object it was written from, so a write makes it stale.
     */
    private final Map<String, Rendered> rendered = new ConcurrentHashMap<>();
    /** Every row state stored by an insert or update, in the order applied; guarded by {@code lock}. */
    private final List<Map<String, String>> writes = new ArrayList<>();

    SimTable(String name, SimDatabase db) {
        this.name = name;
        this.db = db;
        columns.addAll(SYS_FIELDS);
        dateTimeColumns.add("sys_created_on");
        dateTimeColumns.add("sys_updated_on");
    }

    /** The table name, e.g. {@code incident}. */
    public String name() {
        return name;
    }

    /** Inserts a row, stamping {@code sys_*}; a {@code sys_id} in {@code fields} is honoured as ServiceNow does. */
    public Map<String, String> insert(Map<String, String> fields) {
        return insertAs(fields, JAVA_API_USER, Set.of());
    }

    /**
     * Inserts a row keeping the {@code sys_created_on}, {@code sys_created_by}, {@code sys_updated_on},
     * {@code sys_updated_by} and {@code sys_mod_count} found in {@code fields}; missing ones are stamped.
     */
    public Map<String, String> insertWithSysFields(Map<String, String> fields) {
        return insertAs(fields, JAVA_API_USER, fields.keySet());
    }

    /**
     * Updates a row and stamps it; an update that changes no value leaves the row, and its stamps, untouched.
     *
     * @throws NoSuchElementException if there is no row {@code sysId}
     */
    public Map<String, String> update(String sysId, Map<String, String> fields) {
        return updateAs(sysId, fields, JAVA_API_USER, Set.of())
                .orElseThrow(() -> new NoSuchElementException(name + " has no row " + sysId));
    }

    /**
     * Updates a row keeping the {@code sys_*} values found in {@code fields} (the rest are stamped as usual,
     * {@code sys_mod_count} incremented when absent). Applied even when no other value changes.
     *
     * @throws NoSuchElementException if there is no row {@code sysId}
     */
    public Map<String, String> updateWithSysFields(String sysId, Map<String, String> fields) {
        return updateAs(sysId, fields, JAVA_API_USER, fields.keySet())
                .orElseThrow(() -> new NoSuchElementException(name + " has no row " + sysId));
    }

    /**
     * Updates a row as a script with {@code autoSysFields(false)} that still counts the change would: the values
     * and {@code sys_mod_count} change, {@code sys_updated_on} and {@code sys_updated_by} do not.
     *
     * @throws NoSuchElementException if there is no row {@code sysId}
     */
    public Map<String, String> updateKeepingUpdatedOn(String sysId, Map<String, String> fields) {
        Map<String, String> old = get(sysId)
                .orElseThrow(() -> new NoSuchElementException(name + " has no row " + sysId));
        Map<String, String> kept = new LinkedHashMap<>(fields);
        kept.put("sys_updated_on", old.get("sys_updated_on"));
        kept.put("sys_updated_by", old.get("sys_updated_by"));
        return updateWithSysFields(sysId, kept);
    }

    /**
     * Removes a row without a trace in {@code sys_audit_delete}, as deleting from a table that is not audited,
     * or a clean-up that bypasses auditing, does; false when there was no such row.
     */
    public boolean purge(String sysId) {
        synchronized (lock) {
            return removeRow(sysId) != null;
        }
    }

    /** Deletes a row, recording it in {@code sys_audit_delete}; false when there was no such row. */
    public boolean delete(String sysId) {
        return deleteAs(sysId, JAVA_API_USER);
    }

    public Optional<Map<String, String>> get(String sysId) {
        synchronized (lock) {
            return Optional.ofNullable(rows.get(sysId));
        }
    }

    /** The first row (in {@code sys_id} order) whose {@code field} equals {@code value}. */
    public Optional<Map<String, String>> findBy(String field, String value) {
        return rows().stream().filter(r -> Objects.equals(r.get(field), value)).findFirst();
    }

    /** A snapshot of all rows in {@code sys_id} order. */
    public List<Map<String, String>> rows() {
        synchronized (lock) {
            return List.copyOf(rows.values());
        }
    }

    public int size() {
        synchronized (lock) {
            return rows.size();
        }
    }

    /** Declares {@code field} a reference to {@code referencedTable} (rendered as link/value, display name). */
    public SimTable referenceField(String field, String referencedTable) {
        references.put(field, referencedTable);
        columns.add(field);
        return this;
    }

    /** Declares date-time columns, whose display values are shown in the user's zone and format. */
    public SimTable dateTimeField(String... fields) {
        for (String f : fields) {
            dateTimeColumns.add(f);
            columns.add(f);
        }
        return this;
    }

    /** Declares a choice column: raw value to label, used for display values. */
    public SimTable choices(String field, Map<String, String> valueToLabel) {
        choices.put(field, Map.copyOf(valueToLabel));
        columns.add(field);
        return this;
    }

    /** Declares columns that exist even before a row holds them, so queries on them are valid. */
    public SimTable columns(String... fields) {
        Collections.addAll(columns, fields);
        return this;
    }

    /** Gives new rows without a {@code number} one like {@code INC0010001}, counting from {@code first}. */
    /**
     * The value a new row gets in {@code column} when its insert does not name the column, as the dictionary's
     * default value does in ServiceNow (an incident is {@code active} unless told otherwise).
     */
    public SimTable defaultValue(String column, String value) {
        synchronized (lock) {
            columns.add(column);
            defaults.put(column, value);
        }
        return this;
    }

    public SimTable numbered(String prefix, long first) {
        this.numberPrefix = prefix;
        this.nextNumber.set(first);
        columns.add("number");
        return this;
    }

    /** The column whose value stands for a row in display values (default: {@code name}, then {@code number}). */
    public SimTable displayField(String field) {
        this.displayField = field;
        return this;
    }

    /**
     * Makes the declared columns the only ones: writes drop other fields silently, as ServiceNow does
     * with names it does not know. Without it, any field written becomes a column.
     */
    public SimTable strictColumns() {
        this.strictColumns = true;
        return this;
    }

    /** Every row state an insert or update stored, oldest first, for checking the order of writes. */
    public List<Map<String, String>> writes() {
        synchronized (lock) {
            return List.copyOf(writes);
        }
    }

    /** The known columns, sorted. */
    /** A row's JSON as written for a table of {@code columns} columns; kept until the row changes. */
    record Rendered(Map<String, String> row, int columns, byte[] json) {
    }

    /** The JSON kept for {@code row} when the table had {@code columnCount} columns, or {@code null}. */
    byte[] rendered(Map<String, String> row, int columnCount) {
        Rendered kept = rendered.get(row.get("sys_id"));
        return kept != null && kept.row() == row && kept.columns() == columnCount ? kept.json() : null;
    }

    void keepRendered(Map<String, String> row, int columnCount, byte[] json) {
        rendered.put(row.get("sys_id"), new Rendered(row, columnCount, json));
    }

    int columnCount() {
        return columns.size();
    }

    List<String> columnList() {
        List<String> list = new ArrayList<>(columns);
        Collections.sort(list);
        return list;
    }

    boolean hasColumn(String field) {
        return columns.contains(field);
    }

    Optional<String> referencedTable(String field) {
        return Optional.ofNullable(references.get(field));
    }

    boolean isDateTime(String field) {
        return dateTimeColumns.contains(field);
    }

    String choiceLabel(String field, String value) {
        Map<String, String> labels = choices.get(field);
        return labels == null ? null : labels.get(value);
    }

    String displayValueOf(Map<String, String> row) {
        String field = displayField;
        if (field == null) {
            field = row.containsKey("name") ? "name" : "number";
        }
        String value = row.get(field);
        return value == null ? "" : value;
    }

    Map<String, String> insertAs(Map<String, String> fields, String user, Set<String> keepSys) {
        synchronized (lock) {
            Map<String, String> row = new LinkedHashMap<>();
            String sysId = fields.get("sys_id");
            if (sysId == null || sysId.isEmpty()) {
                sysId = newSysId();
            }
            if (rows.contains(sysId)) {
                throw new DuplicateRowException(name, sysId);
            }
            row.put("sys_id", sysId);
            fields.forEach((k, v) -> {
                if (!SYS_FIELDS.contains(k) && (!strictColumns || columns.contains(k))) {
                    row.put(k, v);
                }
            });
            defaults.forEach(row::putIfAbsent);
            assignNumber(row);
            String now = db.now();
            putSys(row, fields, keepSys, "sys_created_on", now);
            putSys(row, fields, keepSys, "sys_created_by", user);
            putSys(row, fields, keepSys, "sys_updated_on", row.get("sys_created_on"));
            putSys(row, fields, keepSys, "sys_updated_by", row.get("sys_created_by"));
            putSys(row, fields, keepSys, "sys_mod_count", "0");
            return store(row);
        }
    }

    Optional<Map<String, String>> updateAs(String sysId, Map<String, String> fields, String user,
            Set<String> keepSys) {
        synchronized (lock) {
            Map<String, String> old = rows.get(sysId);
            if (old == null) {
                return Optional.empty();
            }
            Map<String, String> row = new LinkedHashMap<>(old);
            fields.forEach((k, v) -> {
                if (!SYS_FIELDS.contains(k) && (!strictColumns || columns.contains(k))) {
                    row.put(k, v);
                }
            });
            boolean explicit = keepSys.stream().anyMatch(SYS_FIELDS::contains);
            if (row.equals(old) && !explicit) {
                return Optional.of(old);
            }
            String nextCount = String.valueOf(parseCount(old.get("sys_mod_count")) + 1);
            putSys(row, fields, keepSys, "sys_updated_on", db.now());
            putSys(row, fields, keepSys, "sys_updated_by", user);
            putSys(row, fields, keepSys, "sys_mod_count", nextCount);
            putSys(row, fields, keepSys, "sys_created_on", old.get("sys_created_on"));
            putSys(row, fields, keepSys, "sys_created_by", old.get("sys_created_by"));
            return Optional.of(store(row));
        }
    }

    boolean deleteAs(String sysId, String user) {
        Map<String, String> removed;
        synchronized (lock) {
            removed = removeRow(sysId);
        }
        if (removed == null) {
            return false;
        }
        db.auditDelete(this, removed, user);
        return true;
    }

    private Map<String, String> store(Map<String, String> row) {
        columns.addAll(row.keySet());
        Map<String, String> frozen = Collections.unmodifiableMap(row);
        Map<String, String> previous = rows.put(frozen);
        for (FieldIndex index : indexes.values()) {
            if (previous != null) {
                index.remove(previous);
            }
            index.add(frozen);
        }
        writes.add(frozen);
        return frozen;
    }

    private Map<String, String> removeRow(String sysId) {
        Map<String, String> removed = rows.remove(sysId);
        rendered.remove(sysId);
        if (removed != null) {
            indexes.values().forEach(index -> index.remove(removed));
        }
        return removed;
    }

    private void assignNumber(Map<String, String> row) {
        String prefix = numberPrefix;
        String current = row.get("number");
        if (prefix != null && (current == null || current.isEmpty())) {
            row.put("number", String.format("%s%07d", prefix, nextNumber.getAndIncrement()));
        }
    }

    private static void putSys(Map<String, String> row, Map<String, String> given, Set<String> keep, String field,
            String stamped) {
        String value = keep.contains(field) && given.get(field) != null ? given.get(field) : stamped;
        row.put(field, value);
    }

    private static long parseCount(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String newSysId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("%016x%016x", r.nextLong(), r.nextLong());
    }

    /**
     * Runs {@code reader} with no write in between, so that what it reads from {@link #index} is one consistent
     * state of the table. It must not read other tables: two readers of tables that refer to each other could
     * otherwise wait on each other.
     */
    <T> T read(Supplier<T> reader) {
        synchronized (lock) {
            return reader.get();
        }
    }

    /** The rows ordered by {@code field}, indexed on first use and kept up to date; only inside {@link #read}. */
    RowIndex index(String field) {
        if (!Thread.holdsLock(lock)) {
            throw new IllegalStateException("The index of " + name + "." + field + " is read outside read()");
        }
        if (field.equals("sys_id")) {
            return rows;
        }
        return indexes.computeIfAbsent(field, f -> new FieldIndex(f, rows.values()));
    }

    /** Thrown when an insert names a {@code sys_id} that is taken. */
    static final class DuplicateRowException extends RuntimeException {
        DuplicateRowException(String table, String sysId) {
            super("Error during insert of " + table + " (" + sysId + ")");
        }
    }
}
