package io.snkb.testkit.servicenow;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The Table API ({@code /api/now[/v1|/v2]/table/...}) and the record count of the Aggregate API
 * ({@code /api/now/stats/...}) over a {@link SimDatabase}. Thread-safe: holds no per-request state.
 *
 * <p>Paging follows ServiceNow: the query is evaluated, {@code X-Total-Count} counts every match, the
 * {@code sysparm_offset}/{@code sysparm_limit} window is cut, and only then are rows hidden by a row-level ACL
 * removed, so a page may be short or empty while later pages still hold rows.
 */
final class TableApi {
    private static final byte[] PAGE_START = "{\"result\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PAGE_END = "]}".getBytes(StandardCharsets.UTF_8);

    private final SimDatabase db;
    private final Faults faults;
    private final int maxLimit;
    private final boolean invalidQueryReturnsNoRows;
    private final boolean plainLiteralsInUserZone;
    private final RepeatedHourReading repeatedHour;
    private final boolean paginationHeaders;

    TableApi(SimDatabase db, Faults faults, int maxLimit, boolean invalidQueryReturnsNoRows,
             boolean plainLiteralsInUserZone, RepeatedHourReading repeatedHour, boolean paginationHeaders) {
        this.paginationHeaders = paginationHeaders;
        this.db = db;
        this.faults = faults;
        this.maxLimit = maxLimit;
        this.invalidQueryReturnsNoRows = invalidQueryReturnsNoRows;
        this.plainLiteralsInUserZone = plainLiteralsInUserZone;
        this.repeatedHour = repeatedHour;
    }

    Reply handle(SimRequest req, SimUser user, int version, String tableName, String sysId) {
        Optional<SimTable> found = db.existing(tableName);
        if (found.isEmpty()) {
            return Responses.invalidTable(tableName);
        }
        SimTable table = found.get();
        String method = req.method();
        if (sysId == null) {
            return switch (method) {
                case "GET" -> list(req, user, table, version);
                case "POST" -> create(req, user, table);
                default -> notSupported(method);
            };
        }
        return switch (method) {
            case "GET" -> getOne(req, user, table, sysId);
            case "PUT", "PATCH" -> update(req, user, table, sysId);
            case "DELETE" -> delete(user, table, sysId);
            default -> notSupported(method);
        };
    }

    Reply stats(SimRequest req, SimUser user, String tableName) {
        Optional<SimTable> found = db.existing(tableName);
        if (found.isEmpty()) {
            return Responses.invalidTable(tableName);
        }
        EncodedQuery.Context ctx = context(found.get(), user, invalidQueryReturnsNoRows);
        EncodedQuery query = EncodedQuery.parse(req.param("sysparm_query"), ctx);
        int count = TableSearch.run(query, ctx, 0, 0, true).total();
        ObjectNode root = Responses.MAPPER.createObjectNode();
        root.putObject("result").putObject("stats").put("count", String.valueOf(count));
        return Reply.json(200, Responses.bytes(root));
    }

    private Reply list(SimRequest req, SimUser user, SimTable table, int version) {
        int limit;
        int offset;
        try {
            limit = parseLimit(req.param("sysparm_limit"));
            offset = Math.max(0, parseInt(req.param("sysparm_offset"), 0));
        } catch (NumberFormatException e) {
            return Responses.error(400, "Invalid value given for sysparm_limit",
                    "sysparm_limit value must be a positive integer");
        }
        if (faults.all(FaultSpec.Kind.MAX_PAGE).stream().anyMatch(f -> limit > f.threshold()
                && f.appliesToTable(table.name()))) {
            return Responses.transactionCancelled();
        }
        boolean counted = !req.flag("sysparm_no_count");
        EncodedQuery.Context ctx = context(table, user, invalidQueryReturnsNoRows);
        TableSearch.Result matched = TableSearch.run(EncodedQuery.parse(req.param("sysparm_query"), ctx), ctx,
                offset, limit, counted);
        int total = matched.total();
        Predicate<Map<String, String>> hidden = hiddenRows(user, table);
        List<Map<String, String>> visible = matched.page().stream().filter(hidden.negate()).toList();
        if (version == 1 && visible.isEmpty()) {
            return Responses.error(404, "No Record found",
                    "Records matching query not found. Check query parameter or offset parameter");
        }
        Reply reply = Reply.json(200, renderList(req, user, table, visible));
        reply.records = visible.size();
        if (counted) {
            reply.header("X-Total-Count", String.valueOf(total));
        }
        if (paginationHeaders && !req.flag("sysparm_suppress_pagination_header")) {
            reply.header("Link", links(req, limit, offset, total, counted));
        }
        return reply;
    }

    private int parseLimit(String param) {
        if (param == null || param.isEmpty()) {
            return maxLimit;
        }
        int limit = Integer.parseInt(param.trim());
        if (limit <= 0) {
            throw new NumberFormatException("not positive");
        }
        return Math.min(limit, maxLimit);
    }

    private static int parseInt(String param, int fallback) {
        return param == null || param.isEmpty() ? fallback : Integer.parseInt(param.trim());
    }

    private Reply getOne(SimRequest req, SimUser user, SimTable table, String sysId) {
        Optional<Map<String, String>> row = visibleRow(user, table, sysId);
        if (row.isEmpty()) {
            return Responses.noRecord();
        }
        return recordReply(200, req, user, table, row.get());
    }

    private Reply create(SimRequest req, SimUser user, SimTable table) {
        Map<String, String> fields = parseBody(req.body());
        if (fields == null) {
            return Responses.invalidJson();
        }
        Map<String, String> row;
        try {
            row = table.insertAs(fields, user.name(), Set.of());
        } catch (SimTable.DuplicateRowException e) {
            return Responses.error(403, "Operation Failed", e.getMessage());
        }
        Reply reply = recordReply(201, req, user, table, row);
        return reply.header("Location", req.origin() + "/api/now/table/" + table.name() + "/" + row.get("sys_id"));
    }

    private Reply update(SimRequest req, SimUser user, SimTable table, String sysId) {
        Map<String, String> fields = parseBody(req.body());
        if (fields == null) {
            return Responses.invalidJson();
        }
        if (visibleRow(user, table, sysId).isEmpty()) {
            return Responses.noRecord();
        }
        Optional<Map<String, String>> row = table.updateAs(sysId, fields, user.name(), Set.of());
        return row.map(r -> recordReply(200, req, user, table, r)).orElseGet(Responses::noRecord);
    }

    private Reply delete(SimUser user, SimTable table, String sysId) {
        if (visibleRow(user, table, sysId).isEmpty() || !table.deleteAs(sysId, user.name())) {
            return Responses.noRecord();
        }
        return Reply.empty(204);
    }

    private Optional<Map<String, String>> visibleRow(SimUser user, SimTable table, String sysId) {
        return table.get(sysId).filter(hiddenRows(user, table).negate());
    }

    private Reply recordReply(int status, SimRequest req, SimUser user, SimTable table, Map<String, String> row) {
        if ("true".equalsIgnoreCase(req.headers().getFirst("X-no-response-body"))) {
            return Reply.empty(status);
        }
        RecordRenderer renderer = new RecordRenderer(db, table, user, req.origin(), req, hiddenFields(user, table));
        Reply reply = Reply.json(status, render(g -> {
            g.writeFieldName("result");
            renderer.write(g, row);
        }));
        reply.records = 1;
        return reply;
    }

    private byte[] renderList(SimRequest req, SimUser user, SimTable table, List<Map<String, String>> rows) {
        RecordRenderer renderer = new RecordRenderer(db, table, user, req.origin(), req, hiddenFields(user, table));
        if (renderer.keepsRendered()) {
            return joined(renderer, rows);
        }
        return render(g -> {
            g.writeArrayFieldStart("result");
            for (Map<String, String> row : rows) {
                renderer.write(g, row);
            }
            g.writeEndArray();
        });
    }

    /** A page of rows whose JSON is kept: the same bytes as {@link #render} writes, without writing them again. */
    private static byte[] joined(RecordRenderer renderer, List<Map<String, String>> rows) {
        try {
            List<byte[]> parts = new ArrayList<>(rows.size());
            int size = PAGE_START.length + PAGE_END.length + rows.size();
            for (Map<String, String> row : rows) {
                byte[] json = renderer.keptJson(row);
                parts.add(json);
                size += json.length;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(size);
            out.writeBytes(PAGE_START);
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.writeBytes(parts.get(i));
            }
            out.writeBytes(PAGE_END);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] render(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (JsonGenerator g = Responses.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The request body as field values, or null when it is not one JSON object. */
    private static Map<String, String> parseBody(byte[] body) {
        JsonNode node;
        try {
            node = Responses.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
        if (node == null || !node.isObject()) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> fields.put(e.getKey(), asFieldValue(e.getValue())));
        return fields;
    }

    /** Strings as sent, numbers and booleans as their text, null as "", a reference object as its value. */
    private static String asFieldValue(JsonNode v) {
        if (v.isNull()) {
            return "";
        }
        if (v.isObject() && v.has("value")) {
            return v.get("value").asText();
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private Predicate<Map<String, String>> hiddenRows(SimUser user, SimTable table) {
        List<Predicate<Map<String, String>>> rules = new ArrayList<>();
        for (FaultSpec f : faults.all(FaultSpec.Kind.HIDE_ROWS)) {
            if (!f.appliesToUser(user.name()) || !f.appliesToTable(table.name())) {
                continue;
            }
            if (f.rowPredicate() != null) {
                rules.add(f.rowPredicate());
            } else {
                EncodedQuery.Context ctx = context(table, user, false);
                EncodedQuery q = EncodedQuery.parse(f.query().orElse(""), ctx);
                rules.add(row -> q.matches(row, ctx));
            }
        }
        return row -> rules.stream().anyMatch(p -> p.test(row));
    }

    private Set<String> hiddenFields(SimUser user, SimTable table) {
        Set<String> hidden = new HashSet<>();
        for (FaultSpec f : faults.all(FaultSpec.Kind.HIDE_FIELDS)) {
            if (f.appliesToUser(user.name()) && f.appliesToTable(table.name())) {
                hidden.addAll(f.fields());
            }
        }
        return hidden;
    }

    private EncodedQuery.Context context(SimTable table, SimUser user, boolean invalidReturnsNone) {
        return new EncodedQuery.Context(db, table, user.timeZone(), invalidReturnsNone, plainLiteralsInUserZone,
                repeatedHour);
    }

    /** RFC 5988 links, offset-based like ServiceNow's: first, prev, next, last ({@code last} needs the count). */
    private static String links(SimRequest req, int limit, int offset, int total, boolean counted) {
        List<String> links = new ArrayList<>();
        links.add(link(req, limit, 0, "first"));
        if (offset > 0) {
            links.add(link(req, limit, Math.max(0, offset - limit), "prev"));
        }
        if ((long) offset + limit < total) {
            links.add(link(req, limit, offset + limit, "next"));
        }
        if (counted) {
            int last = total == 0 ? 0 : ((total - 1) / limit) * limit;
            links.add(link(req, limit, last, "last"));
        }
        return String.join(",", links);
    }

    private static String link(SimRequest req, int limit, int offset, String rel) {
        Map<String, String> params = new LinkedHashMap<>(req.params());
        params.remove("sysparm_limit");
        params.remove("sysparm_offset");
        params.put("sysparm_limit", String.valueOf(limit));
        params.put("sysparm_offset", String.valueOf(offset));
        StringBuilder url = new StringBuilder(req.origin()).append(req.path()).append('?');
        params.forEach((k, v) -> url.append(enc(k)).append('=').append(enc(v)).append('&'));
        url.setLength(url.length() - 1);
        return "<" + url + ">;rel=\"" + rel + "\"";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Reply notSupported(String method) {
        return Responses.error(405, "Method not Supported", "Requested method " + method
                + " is not supported for this API");
    }
}
