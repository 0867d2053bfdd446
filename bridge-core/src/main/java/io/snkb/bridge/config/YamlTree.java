package io.snkb.bridge.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML into a tree in which every scalar is text exactly as written: {@code 0123}, {@code 1.10} or
 * {@code yes} reach the binder unchanged, so a password that looks like a number keeps its digits. A
 * duplicate key is a problem rather than a silent overwrite. Stateless and thread-safe.
 */
final class YamlTree {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {
    }

    /** The tree, or {@code null} after a syntax error, which is added to {@code problems}. */
    static JsonNode read(String yaml, List<ConfigProblem> problems) {
        try (JsonParser parser = FACTORY.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            return first == null ? NullNode.getInstance() : readValue(parser, "", problems);
        } catch (JsonProcessingException e) {
            problems.add(syntaxProblem(e));
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading YAML from a string", e);
        }
    }

    private static JsonNode readValue(JsonParser parser, String path, List<ConfigProblem> problems)
            throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            return readObject(parser, path, problems);
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(readValue(parser, path + "[" + array.size() + "]", problems));
            }
            return array;
        }
        return token == JsonToken.VALUE_NULL ? NullNode.getInstance() : TextNode.valueOf(parser.getText());
    }

    private static ObjectNode readObject(JsonParser parser, String path, List<ConfigProblem> problems)
            throws IOException {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonLocation at = parser.currentTokenLocation();
            String childPath = path.isEmpty() ? name : path + "." + name;
            parser.nextToken();
            JsonNode value = readValue(parser, childPath, problems);
            if (object.has(name)) {
                problems.add(ConfigProblem.syntax(at.getLineNr(), at.getColumnNr(),
                        "duplicate key '" + childPath + "'"));
            } else {
                object.set(name, value);
            }
        }
        return object;
    }

    // SnakeYAML knows what went wrong and where; its rendered message repeats the source line with a caret.
    private static ConfigProblem syntaxProblem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            String reason = marked.getProblem();
            if (marked.getContext() != null) {
                reason = reason + " (" + marked.getContext() + ")";
            }
            return ConfigProblem.syntax(mark.getLine() + 1, mark.getColumn() + 1, reason);
        }
        JsonLocation at = e.getLocation();
        int line = at == null ? 0 : at.getLineNr();
        int column = at == null ? 0 : at.getColumnNr();
        return ConfigProblem.syntax(line, column, e.getOriginalMessage().lines().findFirst().orElse("invalid"));
    }
}
