package io.snkb.bridge.internal.servicenow;

import io.snkb.bridge.internal.metrics.ApiMetrics;
import io.snkb.bridge.spi.AuthenticationException;
import io.snkb.bridge.spi.RetriableException;
import io.snkb.bridge.spi.TokenProvider;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the Table API of one instance with the JDK HTTP client, raw values only.
 *
 * <p>Each call is a single attempt, apart from one repeat after a 401 with a fresh authorization; retries
 * with backoff are the caller's choice. Failures are thrown as {@link RetriableServiceNowException},
 * {@link RateLimitedException} or {@link FatalServiceNowException}.
 *
 * <p>Writes never send read-only system fields ({@code sys_*} other than {@code sys_id} on a create):
 * ServiceNow stamps them itself.
 *
 * <p>Thread-safe: one client serves all tables of its instance and holds the instance's
 * {@link RateLimitGate}. It does not own the token provider.
 */
public final class ServiceNowClient {
    private static final String NO_RECORD = "No Record found";
    private static final String RECORD_PARAMS = "sysparm_display_value=false&sysparm_exclude_reference_link=true";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ServiceNowClient.class);

    private final String instance;
    private final String baseUrl;
    private final Duration requestTimeout;
    private final TokenProvider tokens;
    private final HttpClient http;
    private final String userAgent;
    private final ApiMetrics metrics;
    private final RateLimitGate rateLimit;

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
        this.rateLimit = new RateLimitGate(instance, metrics);
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

    /** The rate limit every caller of this instance honours. */
    public RateLimitGate rateLimit() {
        return rateLimit;
    }

    /**
     * Reads one page. Throws {@link InterruptedException} when the calling thread is interrupted, which
     * the engine does to stop.
     */
    public List<Map<String, String>> read(TableRead read) throws InterruptedException {
        URI uri = uri(read);
        LOG.debug("GET {}", uri);
        return rows(exchange("GET", uri, null, read.table()), read.table(), 200);
    }

    /**
     * Reads one page by offset, counted so that the instance sends its {@code Link} header: its {@code next}
     * link tells how many rows the page passed over, fewer than asked when the instance caps page sizes.
     */
    public OffsetPage readByOffset(TableRead read) throws InterruptedException {
        URI uri = countedUri(read);
        LOG.debug("GET {}", uri);
        HttpResponse<byte[]> response = exchange("GET", uri, null, read.table());
        List<Map<String, String>> rows = rows(response, read.table(), 200);
        Optional<String> link = response.headers().firstValue("Link");
        return new OffsetPage(rows, link.map(OffsetPage::nextOffset).orElse(OptionalLong.empty()),
                link.isPresent());
    }

    /**
     * How many rows of {@code table} match {@code query}, as {@code X-Total-Count} tells; empty when the
     * answer has no such header. Fails as {@link #read} does.
     */
    public OptionalLong count(String table, String query) throws InterruptedException {
        URI uri = countedUri(new TableRead(table, query, List.of("sys_id"), 1));
        LOG.debug("GET {}", uri);
        HttpResponse<byte[]> response = exchange("GET", uri, null, table);
        rows(response, table, 200);
        String total = response.headers().firstValue("X-Total-Count").orElse("").trim();
        try {
            return total.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(total));
        } catch (NumberFormatException e) {
            LOG.debug("X-Total-Count '{}' of {} is not a number", total, table);
            return OptionalLong.empty();
        }
    }

    /** The row {@code sysId} of {@code table}, empty when there is none (or the user may not see it). */
    public Optional<Map<String, String>> get(String table, String sysId) throws InterruptedException {
        URI uri = recordUri(table, sysId, true);
        LOG.debug("GET {}", uri);
        return first(exchange("GET", uri, null, table), table, 200);
    }

    /** The rows of {@code table} matching the encoded {@code query}, at most {@code limit}. */
    public List<Map<String, String>> find(String table, String query, int limit) throws InterruptedException {
        return read(new TableRead(table, query, List.of(), limit));
    }

    /** Creates a row (201) and returns it as stored. A {@code sys_id} in {@code fields} is kept. */
    public Map<String, String> create(String table, Map<String, String> fields) throws InterruptedException {
        URI uri = URI.create(baseUrl + "/api/now/table/" + encode(table) + "?" + RECORD_PARAMS);
        LOG.debug("POST {}", uri);
        return first(exchange("POST", uri, json(writable(fields, true)), table), table, 201)
                .orElseThrow(() -> new RetriableServiceNowException(instance, table, 201, "no record in answer", null));
    }

    /** Changes the given fields of row {@code sysId} (PATCH); empty when the row does not exist. */
    public Optional<Map<String, String>> update(String table, String sysId, Map<String, String> fields)
            throws InterruptedException {
        URI uri = recordUri(table, sysId, true);
        LOG.debug("PATCH {}", uri);
        return first(exchange("PATCH", uri, json(writable(fields, false)), table), table, 200);
    }

    /** Deletes row {@code sysId}; false when it did not exist. */
    public boolean delete(String table, String sysId) throws InterruptedException {
        URI uri = recordUri(table, sysId, false);
        LOG.debug("DELETE {}", uri);
        HttpResponse<byte[]> response = exchange("DELETE", uri, null, table);
        if (response.statusCode() == 204 || response.statusCode() == 200) {
            return true;
        }
        return !rows(response, table, 204).isEmpty();
    }

    /** The fields an update may carry: none of the read-only {@code sys_*}. */
    public static Map<String, String> writableForUpdate(Map<String, String> fields) {
        return writable(fields, false);
    }

    /** The fields a write may carry: no {@code sys_*}, apart from {@code sys_id} when creating. */
    static Map<String, String> writable(Map<String, String> fields, boolean creating) {
        Map<String, String> kept = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (!name.startsWith("sys_") || creating && name.equals("sys_id")) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    private URI recordUri(String table, String sysId, boolean withParams) {
        return URI.create(baseUrl + "/api/now/table/" + encode(table) + "/" + encode(sysId)
                + (withParams ? "?" + RECORD_PARAMS : ""));
    }

    private Optional<Map<String, String>> first(HttpResponse<byte[]> response, String table, int expected) {
        return rows(response, table, expected).stream().findFirst();
    }

    private static byte[] json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsBytes(fields);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write fields as JSON", e);
        }
    }

    private HttpResponse<byte[]> exchange(String method, URI uri, byte[] body, String table)
            throws InterruptedException {
        String authorization = authorization(table);
        HttpResponse<byte[]> response = send(method, uri, body, authorization, table);
        if (response.statusCode() == 401) {
            response = retryAfterUnauthorized(method, uri, body, authorization, table);
        }
        return response;
    }

    /** {@link #uri} without {@code sysparm_no_count}: the answer carries {@code X-Total-Count} and links. */
    private URI countedUri(TableRead read) {
        return URI.create(uri(read).toString().replace("&sysparm_no_count=true", ""));
    }

    URI uri(TableRead read) {
        StringBuilder url = new StringBuilder(baseUrl).append("/api/now/table/").append(encode(read.table()))
                .append("?sysparm_query=").append(encode(read.query()))
                .append("&sysparm_limit=").append(read.limit());
        if (read.offset() > 0) {
            url.append("&sysparm_offset=").append(read.offset());
        }
        if (!read.fields().isEmpty()) {
            url.append("&sysparm_fields=").append(encode(String.join(",", read.fields())));
        }
        url.append("&sysparm_display_value=false&sysparm_exclude_reference_link=true&sysparm_no_count=true");
        return URI.create(url.toString());
    }

    private HttpResponse<byte[]> retryAfterUnauthorized(String method, URI uri, byte[] body, String rejected,
                                                        String table)
            throws InterruptedException {
        try {
            tokens.rejected(rejected);
        } catch (AuthenticationException e) {
            metrics.tokenFailed(true);
            throw new AuthenticationFailedException(instance, table, 401, e.getMessage(), e);
        }
        String renewed = authorization(table);
        metrics.tokenRefreshed(ApiMetrics.RefreshTrigger.REJECTED);
        HttpResponse<byte[]> again = send(method, uri, body, renewed, table);
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

    private HttpResponse<byte[]> send(String method, URI uri, byte[] body, String authorization, String table)
            throws InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .header("User-Agent", userAgent);
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        // A fresh publisher over the same bytes on every send: a retried body is complete again.
        HttpRequest request = builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)).build();
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
            throw new RetriableServiceNowException(instance, table, 0, "cannot reach " + baseUrl + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } finally {
            metrics.request(method, ApiMetrics.Endpoint.TABLE, status, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private List<Map<String, String>> rows(HttpResponse<byte[]> response, String table, int expected) {
        int status = response.statusCode();
        byte[] body = response.body();
        if (status == expected) {
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
