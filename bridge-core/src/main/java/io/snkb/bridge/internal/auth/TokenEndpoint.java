package io.snkb.bridge.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snkb.bridge.internal.metrics.ApiMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's OAuth token endpoint: posts a form, reads the token or the error. Bodies are never shown in
 * messages or logs, since a success carries tokens; errors report the HTTP status and the OAuth error code.
 *
 * <p>Thread-safe. Does not own the HTTP client.
 */
final class TokenEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI uri;
    private final HttpClient http;
    private final Duration timeout;
    private final String userAgent;
    private final ApiMetrics metrics;

    TokenEndpoint(URI uri, HttpClient http, Duration timeout, String userAgent, ApiMetrics metrics) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** An access token, with the refresh token if one came, and the lifetime the endpoint gave it. */
    record Issued(String accessToken, String refreshToken, Duration expiresIn) {
        @Override
        public String toString() {
            return "Issued[expiresIn=" + expiresIn + ", refreshToken=" + (refreshToken != null) + "]";
        }
    }

    /** Why no token came: {@code refused} when the credentials or grant were rejected, else retriable. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean refused;

        Failure(boolean refused, String message, Throwable cause) {
            super(message, cause);
            this.refused = refused;
        }

        boolean refused() {
            return refused;
        }
    }

    URI uri() {
        return uri;
    }

    /**
     * Posts {@code form}; throws {@link Failure} when no token came. An interrupted caller gets a retriable
     * failure with its interrupt flag set again, so that its next wait ends at once.
     */
    Issued request(Map<String, String> form) throws Failure {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
                .build();
        long started = System.nanoTime();
        int status = 0;
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            status = response.statusCode();
            LOG.debug("Token endpoint {} answered {} to grant {}", uri, status, form.get("grant_type"));
            return read(response);
        } catch (HttpTimeoutException e) {
            throw new Failure(false, "no answer from " + uri + " within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new Failure(false, "I/O error talking to " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(false, "interrupted while waiting for " + uri, e);
        } finally {
            metrics.request("POST", ApiMetrics.Endpoint.TOKEN, status, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private Issued read(HttpResponse<byte[]> response) throws Failure {
        int status = response.statusCode();
        JsonNode body = json(response);
        if (status == 200 && body != null && body.hasNonNull("access_token")) {
            return issued(body);
        }
        String error = body != null && body.path("error").isTextual() ? body.get("error").asText() : null;
        if (status == 429 || status >= 500 || body == null || status == 200) {
            // Busy, down, an HTML page from a hibernating instance or a proxy, or a body without a token.
            throw new Failure(false, "HTTP " + status + " from " + uri + " without a token ("
                    + (body == null ? "not JSON: " + contentType(response)
                    : error == null ? "no OAuth error code" : "error " + error) + ")", null);
        }
        throw new Failure(true, "HTTP " + status + " from " + uri + (error == null ? "" : ", error " + error), null);
    }

    private static Issued issued(JsonNode body) {
        long seconds = body.path("expires_in").asLong(-1);
        Duration expiresIn = seconds < 0 ? null : Duration.ofSeconds(seconds);
        String refresh = body.path("refresh_token").asText(null);
        return new Issued(body.get("access_token").asText(), refresh == null || refresh.isEmpty() ? null : refresh,
                expiresIn);
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        if (!contentType(response).contains("json")) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(response.body());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String contentType(HttpResponse<byte[]> response) {
        return response.headers().firstValue("Content-Type").orElse("no content type").toLowerCase(Locale.ROOT);
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
