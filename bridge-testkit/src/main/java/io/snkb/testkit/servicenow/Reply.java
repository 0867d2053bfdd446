package io.snkb.testkit.servicenow;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response about to be written: status, headers, body, and how many records it carries (for per-record
 * latency). Mutable only while a request is being handled, by the handling thread.
 */
final class Reply {

    static final String JSON = "application/json;charset=UTF-8";
    static final String HTML = "text/html;charset=UTF-8";

    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    byte[] body;
    int records;

    private Reply(int status, byte[] body, String contentType) {
        this.status = status;
        this.body = body;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    static Reply json(int status, byte[] body) {
        return new Reply(status, body, JSON);
    }

    static Reply html(int status, String html) {
        return new Reply(status, html.getBytes(StandardCharsets.UTF_8), HTML);
    }

    static Reply empty(int status) {
        return new Reply(status, new byte[0], null);
    }

    Reply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    boolean isJson() {
        return JSON.equals(headers.get("Content-Type"));
    }
}
