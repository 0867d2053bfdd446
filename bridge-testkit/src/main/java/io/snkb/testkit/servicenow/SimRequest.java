package io.snkb.testkit.servicenow;

import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request as the simulator's handlers see it: decoded query parameters (first value wins), headers, body and
 * the origin ({@code scheme://host:port}) the client addressed, used for links. Immutable after construction.
 */
record SimRequest(String method, String path, String rawQuery, Map<String, String> params, Headers headers,
        byte[] body, String origin) {

    static SimRequest of(String method, String path, String rawQuery, Headers headers, byte[] body,
            String origin) {
        return new SimRequest(method, path, rawQuery, decodeForm(rawQuery), headers, body, origin);
    }

    /** Decodes {@code a=b&c=d} (query strings and form bodies); a repeated name keeps its first value. */
    static Map<String, String> decodeForm(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(name, value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    String param(String name) {
        return params.get(name);
    }

    boolean flag(String name) {
        return "true".equalsIgnoreCase(params.get(name));
    }

    String pathAndQuery() {
        return rawQuery == null ? path : path + "?" + rawQuery;
    }
}
