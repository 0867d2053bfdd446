package io.snkb.testkit.servicenow;

import java.io.ByteArrayOutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes records as the Table API shows them: raw values, display values or both ({@code sysparm_display_value}
 * false/true/all), references as {@code {"link","value"}} unless links are excluded, only the requested fields
 * ({@code sysparm_fields}, unknown names ignored, dot-walks resolved) and never the fields the user may not read.
 * Every column the table knows is written, {@code ""} where a row has no value. One instance serves one request.
 */
final class RecordRenderer {

    enum Mode {
        RAW, DISPLAY, ALL;

        static Mode of(String param) {
            if (param == null) {
                return RAW;
            }
            return switch (param.toLowerCase(Locale.ROOT)) {
                case "true" -> DISPLAY;
                case "all" -> ALL;
                default -> RAW;
            };
        }
    }

    private final SimDatabase db;
    private final SimTable table;
    private final SimUser user;
    private final String origin;
    private final Mode mode;
    private final boolean excludeLinks;
    private final List<String> requested;
    private final Set<String> hidden;
    private final List<String> allColumns;

    RecordRenderer(SimDatabase db, SimTable table, SimUser user, String origin, SimRequest req,
            Set<String> hidden) {
        this.db = db;
        this.table = table;
        this.user = user;
        this.origin = origin;
        this.mode = Mode.of(req.param("sysparm_display_value"));
        this.excludeLinks = req.flag("sysparm_exclude_reference_link");
        this.requested = parseFields(req.param("sysparm_fields"));
        this.hidden = hidden;
        this.allColumns = requested == null ? table.columnList() : List.of();
    }

    private static List<String> parseFields(String param) {
        if (param == null || param.isBlank()) {
            return null;
        }
        return java.util.Arrays.stream(param.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList();
    }

    /**
     * Whether rows are written in the form a poll asks for (raw values, no links, all columns, no field hidden
     * from the user), which is then kept per row state: that form does not depend on the user or the request.
     */
    boolean keepsRendered() {
        return mode == Mode.RAW && excludeLinks && requested == null && hidden.isEmpty();
    }

    /** The JSON of {@code row} in the form {@link #keepsRendered} names: written once per row state, then kept. */
    byte[] keptJson(Map<String, String> row) throws IOException {
        byte[] json = table.rendered(row, allColumns.size());
        if (json == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
            try (JsonGenerator g = Responses.MAPPER.getFactory().createGenerator(out)) {
                write(g, row);
            }
            json = out.toByteArray();
            table.keepRendered(row, allColumns.size(), json);
        }
        return json;
    }

    void write(JsonGenerator g, Map<String, String> row) throws IOException {
        g.writeStartObject();
        if (requested == null) {
            writeAll(g, row);
        } else {
            writeRequested(g, row);
        }
        g.writeEndObject();
    }

    private void writeAll(JsonGenerator g, Map<String, String> row) throws IOException {
        for (Map.Entry<String, String> e : row.entrySet()) {
            if (!hidden.contains(e.getKey())) {
                writeField(g, table, e.getKey(), e.getKey(), e.getValue());
            }
        }
        for (String column : allColumns) {
            if (!row.containsKey(column) && !hidden.contains(column)) {
                writeField(g, table, column, column, "");
            }
        }
    }

    private void writeRequested(JsonGenerator g, Map<String, String> row) throws IOException {
        for (String f : requested) {
            if (hidden.contains(f) || !FieldPaths.isKnown(db, table, f)) {
                continue;
            }
            String value = FieldPaths.resolve(db, table, row, f);
            if (value == null && !(row.containsKey(f) || f.contains("."))) {
                value = "";
            }
            SimTable owner = FieldPaths.ownerOf(db, table, f);
            writeField(g, owner, f, FieldPaths.lastSegment(f), f.contains(".") && value == null ? "" : value);
        }
    }

    private void writeField(JsonGenerator g, SimTable owner, String key, String field, String raw)
            throws IOException {
        g.writeFieldName(key);
        String refTable = owner.referencedTable(field).orElse(null);
        boolean link = refTable != null && raw != null && !raw.isEmpty() && !excludeLinks;
        switch (mode) {
            case RAW -> {
                if (link) {
                    g.writeStartObject();
                    g.writeStringField("link", linkTo(refTable, raw));
                    g.writeStringField("value", raw);
                    g.writeEndObject();
                } else {
                    g.writeString(raw);
                }
            }
            case DISPLAY -> {
                String display = display(owner, field, refTable, raw);
                if (link) {
                    g.writeStartObject();
                    g.writeStringField("display_value", display);
                    g.writeStringField("link", linkTo(refTable, raw));
                    g.writeEndObject();
                } else {
                    g.writeString(display);
                }
            }
            default -> {
                g.writeStartObject();
                g.writeStringField("display_value", display(owner, field, refTable, raw));
                if (link) {
                    g.writeStringField("link", linkTo(refTable, raw));
                }
                g.writeStringField("value", raw);
                g.writeEndObject();
            }
        }
    }

    private String linkTo(String refTable, String sysId) {
        return origin + "/api/now/table/" + refTable + "/" + sysId;
    }

    private String display(SimTable owner, String field, String refTable, String raw) {
        if (raw == null || raw.isEmpty()) {
            return raw;
        }
        if (refTable != null) {
            return db.existing(refTable).flatMap(t -> t.get(raw).map(t::displayValueOf)).orElse("");
        }
        if (owner.isDateTime(field)) {
            Instant instant = SimTimes.parseRaw(raw);
            return instant == null ? raw : user.displayFormatter().format(instant.atZone(user.timeZone()));
        }
        String label = owner.choiceLabel(field, raw);
        return label == null ? raw : label;
    }
}
