package io.snkb.bridge.internal.servicenow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snkb.bridge.spi.Row;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a Table API body ({@code {"result": [...]}}) with Jackson's streaming parser, without building a
 * tree of the whole page.
 *
 * <p>Every value becomes a string: JSON {@code null} stays {@code null} (distinct from {@code ""}), a
 * reference object {@code {"link": .., "value": ..}} becomes its {@code value}, numbers and booleans
 * their text, and any other structure its JSON text. Field order is kept; rows are immutable {@link Row}s.
 * Thread-safe.
 */
final class TableResponseParser {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private TableResponseParser() {
    }

    /**
     * What a body held: the rows (a single-record {@code result}, as writes answer, as one row), or the
     * error envelope's text when it had one.
     */
    record Parsed(List<Map<String, String>> rows, String error) {
    }

    /** Parses {@code body}; throws {@link IOException} for anything that is not a complete JSON object. */
    static Parsed parse(byte[] body) throws IOException {
        try (JsonParser parser = FACTORY.createParser(body)) {
            expect(parser, JsonToken.START_OBJECT);
            List<Map<String, String>> rows = null;
            String error = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if ("result".equals(name) && token == JsonToken.START_ARRAY) {
                    rows = readRows(parser);
                } else if ("result".equals(name) && token == JsonToken.START_OBJECT) {
                    rows = List.of(readRow(parser, new Row.Builder()));
                } else if ("error".equals(name) && token == JsonToken.START_OBJECT) {
                    error = readError(parser);
                } else {
                    parser.skipChildren();
                }
            }
            requireEnd(parser);
            return new Parsed(rows, error);
        }
    }

    /** The {@code message: detail} of an error envelope, or {@code null} when {@code body} has none. */
    static String errorMessage(byte[] body) {
        try {
            return parse(body).error();
        } catch (IOException e) {
            return null;
        }
    }

    private static List<Map<String, String>> readRows(JsonParser parser) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        Row.Builder builder = new Row.Builder();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
            rows.add(readRow(parser, builder));
        }
        if (token != JsonToken.END_ARRAY) {
            throw new IOException("Expected a row object in 'result', found " + token);
        }
        return rows;
    }

    private static Row readRow(JsonParser parser, Row.Builder row) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            row.put(field, readValue(parser));
        }
        return row.build();
    }

    private static String readValue(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> parser.getText();
            case START_OBJECT -> readObjectValue(parser);
            case START_ARRAY -> MAPPER.readTree(parser).toString();
            default -> throw new IOException("Unexpected token " + parser.currentToken());
        };
    }

    /** A reference {@code {"link", "value"}} is reduced to its value; other objects keep their JSON. */
    private static String readObjectValue(JsonParser parser) throws IOException {
        JsonNode node = MAPPER.readTree(parser);
        if (node.has("value") && (node.size() == 1 || node.has("link"))) {
            JsonNode value = node.get("value");
            return value.isNull() ? null : value.asText();
        }
        return node.toString();
    }

    private static String readError(JsonParser parser) throws IOException {
        JsonNode node = MAPPER.readTree(parser);
        String message = node.path("message").asText("");
        String detail = node.path("detail").asText("");
        if (detail.isEmpty() || detail.equals(message)) {
            return message;
        }
        return message.isEmpty() ? detail : message + ": " + detail;
    }

    private static void expect(JsonParser parser, JsonToken expected) throws IOException {
        JsonToken token = parser.nextToken();
        if (token != expected) {
            throw new IOException("Expected " + expected + " but found " + token);
        }
    }

    private static void requireEnd(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("Truncated body: the top-level object is not closed");
        }
    }
}
