package io.snkb.bridge.internal.servicenow;

import io.snkb.bridge.internal.metrics.ApiMetrics;
import io.snkb.bridge.spi.AuthenticationException;
import io.snkb.bridge.spi.RetriableException;
import io.snkb.bridge.spi.TokenProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads pages of the Table API of one instance with the JDK HTTP client, raw values only.
 *
 * <p>Each call is a single attempt, apart from one repeat after a 401 with a fresh authorization; retries
 * with backoff are the caller's choice. Failures are thrown as {@link RetriableServiceNowException},
 * {@link RateLimitedException} or {@link FatalServiceNowException}.
 *
 * <p>Thread-safe: one client serves all tables of its instance. It does not own the token provider.
 */
public final class ServiceNowClient {
    private static final String NO_RECORD = "No Record found";
    private static final Logger LOG = LoggerFactory.getLogger(ServiceNowClient.class);

    private final String instance;
    private final String baseUrl;
    private final Duration requestTimeout;
    private final TokenProvider tokens;
    private final HttpClient http;
    private final String userAgent;
    private final ApiMetrics metrics;

    /**
     * @param instance       the configured instance name, for messages
     * @param baseUrl        the instance's base URL
     * @param connectTimeout TCP and TLS connect timeout
     * @param requestTimeout the longest one request may take
     * @param tokens         supplies the {@code Authorization} header
     * @param userAgent      the {@code User-Agent} header
     */
    public ServiceNowClient(String instance, URI baseUrl, Duration connectTimeout, Duration requestTimeout,
                            TokenProvider tokens, String userAgent) {
        this(instance, baseUrl, connectTimeout, requestTimeout, tokens, userAgent, ApiMetrics.none(instance));
    }

    /** As above, counting every request in {@code metrics}. */
    public ServiceNowClient(String instance, URI baseUrl, Duration connectTimeout, Duration requestTimeout,
                            TokenProvider tokens, String userAgent, ApiMetrics metrics) {
        this(instance, baseUrl, requestTimeout, tokens, userAgent, metrics, HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    /** As above, sending through {@code http} (see {@link InstanceHttpClient}), which stays the caller's. */
    public ServiceNowClient(String instance, URI baseUrl, Duration requestTimeout, TokenProvider tokens,
                            String userAgent, ApiMetrics metrics, HttpClient http) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.baseUrl = baseUrl.toString().replaceAll("/+$", "");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
        this.http = Objects.requireNonNull(http, "http");
    }

    public String instance() {
        return instance;
    }

    /** Where this client's requests are counted; callers add what they wait for (rate limits). */
    public ApiMetrics metrics() {
        return metrics;
    }

    /**
     * Reads one page. Throws {@link InterruptedException} when the calling thread is interrupted, which
     * the engine does to stop.
     */
    public List<Map<String, String>> read(TableRead read) throws InterruptedException {
        return rows(get(uri(read), read.table()), read.table());
    }

    /**
     * How many rows of {@code table} match {@code query}, as {@code X-Total-Count} tells; empty when the
     * answer has no such header. Fails as {@link #read} does.
     */
    public OptionalLong count(String table, String query) throws InterruptedException {
        URI uri = URI.create(uri(new TableRead(table, query, List.of("sys_id"), 1)).toString()
                .replace("&sysparm_no_count=true", ""));
        HttpResponse<byte[]> response = get(uri, table);
        rows(response, table);
        String total = response.headers().firstValue("X-Total-Count").orElse("").trim();
        try {
            return total.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(total));
        } catch (NumberFormatException e) {
            LOG.debug("X-Total-Count '{}' of {} is not a number", total, table);
            return OptionalLong.empty();
        }
    }

    private HttpResponse<byte[]> get(URI uri, String table) throws InterruptedException {
        LOG.debug("GET {}", uri);
        String authorization = authorization(table);
        HttpResponse<byte[]> response = send(uri, authorization, table);
        if (response.statusCode() == 401) {
            response = retryAfterUnauthorized(uri, authorization, table);
        }
        return response;
    }

    URI uri(TableRead read) {
        StringBuilder url = new StringBuilder(baseUrl).append("/api/now/table/").append(encode(read.table()))
                .append("?sysparm_query=").append(encode(read.query()))
                .append("&sysparm_limit=").append(read.limit());
        if (!read.fields().isEmpty()) {
            url.append("&sysparm_fields=").append(encode(String.join(",", read.fields())));
        }
        url.append("&sysparm_display_value=false&sysparm_exclude_reference_link=true&sysparm_no_count=true");
        return URI.create(url.toString());
    }

    private HttpResponse<byte[]> retryAfterUnauthorized(URI uri, String rejected, String table)
            throws InterruptedException {
        try {
            tokens.rejected(rejected);
        } catch (AuthenticationException e) {
            metrics.tokenFailed(true);
            throw new AuthenticationFailedException(instance, table, 401, e.getMessage(), e);
        }
        String renewed = authorization(table);
        metrics.tokenRefreshed(ApiMetrics.RefreshTrigger.REJECTED);
        HttpResponse<byte[]> again = send(uri, renewed, table);
        if (again.statusCode() == 401) {
            throw new AuthenticationFailedException(instance, table, 401,
                    "credentials (" + tokens.describe() + ") refused twice: " + BodyExcerpt.of(again.body()), null);
        }
        return again;
    }

    private String authorization(String table) {
        try {
            return tokens.authorization();
        } catch (RetriableException e) {
            metrics.tokenFailed(false);
            throw new RetriableServiceNowException(instance, table, 0,
                    "no authorization available yet: " + e.getMessage(), e);
        } catch (AuthenticationException e) {
            metrics.tokenFailed(true);
            throw new AuthenticationFailedException(instance, table, 0, e.getMessage(), e);
        }
    }

    private HttpResponse<byte[]> send(URI uri, String authorization, String table) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .header("User-Agent", userAgent)
                .GET()
                .build();
        long started = System.nanoTime();
        int status = 0;
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            status = response.statusCode();
            LOG.debug("HTTP {} with {} bytes for {}", response.statusCode(), response.body().length, table);
            return response;
        } catch (HttpTimeoutException e) {
            throw new RetriableServiceNowException(instance, table, 0,
                    "no complete answer within " + requestTimeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new RetriableServiceNowException(instance, table, 0, "I/O error: " + e, e);
        } finally {
            metrics.request("GET", ApiMetrics.Endpoint.TABLE, status, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private List<Map<String, String>> rows(HttpResponse<byte[]> response, String table) {
        int status = response.statusCode();
        byte[] body = response.body();
        if (status == 200) {
            return parseRows(response, table);
        }
        String detail = Optional.ofNullable(TableResponseParser.errorMessage(body))
                .orElseGet(() -> BodyExcerpt.of(body));
        if (status == 429) {
            metrics.rateLimited();
            throw new RateLimitedException(instance, table, retryAfter(response), detail);
        }
        if (status >= 500 && TransactionCancelledException.describes(detail)) {
            throw new TransactionCancelledException(instance, table, status, detail);
        }
        if (status >= 500) {
            throw new RetriableServiceNowException(instance, table, status, detail, null);
        }
        if (status == 404 && detail.regionMatches(true, 0, NO_RECORD, 0, NO_RECORD.length())) {
            // Table API v1 (what the unversioned path serves on older releases) answers a list that
            // matches nothing with 404 "No Record found" instead of an empty result.
            return List.of();
        }
        if (status == 404) {
            detail = "no such table, or no access to it: " + detail;
        } else if (status == 403) {
            detail = "access denied to " + tokens.describe() + ": " + detail;
        }
        throw new FatalServiceNowException(instance, table, status, detail, null);
    }

    private List<Map<String, String>> parseRows(HttpResponse<byte[]> response, String table) {
        String contentType = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (!contentType.contains("json")) {
            // A hibernating instance or a captive proxy answers 200 with an HTML page.
            throw new RetriableServiceNowException(instance, table, 200, "not a JSON response ("
                    + (contentType.isEmpty() ? "no content type" : contentType) + "): "
                    + BodyExcerpt.of(response.body()), null);
        }
        TableResponseParser.Parsed parsed;
        try {
            parsed = TableResponseParser.parse(response.body());
        } catch (IOException e) {
            throw new RetriableServiceNowException(instance, table, 200,
                    "broken JSON body (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (parsed.rows() == null) {
            String why = parsed.error() != null ? parsed.error() : BodyExcerpt.of(response.body());
            throw new RetriableServiceNowException(instance, table, 200, "no 'result' in body: " + why, null);
        }
        return parsed.rows();
    }

    private static Duration retryAfter(HttpResponse<byte[]> response) {
        return response.headers().firstValue("Retry-After")
                .flatMap(ServiceNowClient::seconds)
                .orElse(Duration.ofSeconds(60));
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
