package io.snkb.bridge.internal.servicenow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableResponseParserTest {

    private static TableResponseParser.Parsed parse(String json) throws IOException {
        return TableResponseParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nullStaysDistinctFromEmpty() throws IOException {
        Map<String, String> row = parse("{\"result\":[{\"a\":null,\"b\":\"\",\"c\":\"x\"}]}").rows().get(0);
        assertThat(row).containsEntry("a", null).containsEntry("b", "").containsEntry("c", "x");
        assertThat(row.keySet()).containsExactly("a", "b", "c");
    }

    @Test
    void referenceObjectBecomesItsValue() throws IOException {
        Map<String, String> row = parse("{\"result\":[{\"caller_id\":{\"link\":\"https://x/api/now/table/"
                + "sys_user/681c\",\"value\":\"681c\"},\"empty_ref\":\"\"}]}").rows().get(0);
        assertThat(row).containsEntry("caller_id", "681c").containsEntry("empty_ref", "");
    }

    @Test
    void nonStringValuesBecomeText() throws IOException {
        Map<String, String> row = parse("{\"result\":[{\"n\":3,\"b\":true,\"arr\":[1,\"a\"]}]}").rows().get(0);
        assertThat(row).containsEntry("n", "3").containsEntry("b", "true").containsEntry("arr", "[1,\"a\"]");
    }

    @Test
    void unicodeIsKept() throws IOException {
        Map<String, String> row = parse("{\"result\":[{\"d\":\"Grüße 🚀 \\u00e9\"}]}").rows().get(0);
        assertThat(row).containsEntry("d", "Grüße 🚀 é");
    }

    @Test
    void emptyResultIsAnEmptyPage() throws IOException {
        assertThat(parse("{\"result\":[]}").rows()).isEqualTo(List.of());
    }

    @Test
    void truncatedBodyIsAnError() {
        assertThatThrownBy(() -> parse("{\"result\":[{\"a\":\"1\"},{\"b\":"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("{\"result\":[]"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void errorEnvelopeIsRead() throws IOException {
        TableResponseParser.Parsed parsed =
                parse("{\"error\":{\"message\":\"Invalid table nope\",\"detail\":null},\"status\":\"failure\"}");
        assertThat(parsed.rows()).isNull();
        assertThat(parsed.error()).isEqualTo("Invalid table nope");
    }
}
