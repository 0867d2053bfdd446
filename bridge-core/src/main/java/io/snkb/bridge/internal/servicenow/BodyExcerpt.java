package io.snkb.bridge.internal.servicenow;

import java.nio.charset.StandardCharsets;

/**
 * A short, single-line excerpt of a response body for error messages: tags of HTML pages removed,
 * whitespace collapsed, cut at a fixed length. Thread-safe.
 */
final class BodyExcerpt {
    static final int MAX_CHARS = 200;

    private BodyExcerpt() {
    }

    static String of(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        int length = Math.min(body.length, MAX_CHARS * 8);
        String text = new String(body, 0, length, StandardCharsets.UTF_8)
                .replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ")
                .replaceAll("<[^>]*>", " ")
                .replaceAll("\\s+", " ")
                .trim();
        if (text.isEmpty()) {
            return "(no text in body)";
        }
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "...";
    }
}
