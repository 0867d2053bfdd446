package io.snkb.testkit.servicenow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every HTTP request of the simulator: instance-wide faults first (latency, hibernation, proxy errors),
 * then the OAuth endpoint, the admin endpoint, or authentication, rate limiting and the REST APIs; body faults
 * last. Thread-safe: called concurrently by the server's threads, which it may block (latency faults).
 *
 * <p>Jetty rather than the JDK's own server: ServiceNow accepts characters such as {@code ^} unencoded in the
 * query string ({@code sysparm_query=active=true^ORDERBYnumber}, as people type it into curl), which the JDK
 * server refuses with 400 before any handler runs.
 */
final class SimHttpHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(SimHttpHandler.class);
    private static final Pattern TABLE_PATH = Pattern.compile("/api/now(?:/(v1|v2))?/table/([^/]+)(?:/([^/]+))?/?");
    private static final Pattern STATS_PATH = Pattern.compile("/api/now(?:/v1)?/stats/([^/]+)/?");
    static final String ADMIN_FAULTS = "/_sim/faults";

    private final ServiceNowSimulator sim;
    private final TableApi tableApi;
    private final OAuthService oauth;
    private final RateLimiter rateLimiter;
    private final Faults faults;

    SimHttpHandler(ServiceNowSimulator sim, TableApi tableApi, OAuthService oauth, RateLimiter rateLimiter,
            Faults faults) {
        this.sim = sim;
        this.tableApi = tableApi;
        this.oauth = oauth;
        this.rateLimiter = rateLimiter;
        this.faults = faults;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        long received = System.nanoTime();
        SimRequest req = read(request);
        String[] user = new String[1];
        Reply reply;
        try {
            reply = serve(req, user);
        } catch (RuntimeException e) {
            LOG.warn("Simulator failed on {} {}", req.method(), req.path(), e);
            reply = Responses.error(500, "Internal server error", String.valueOf(e.getMessage()));
        }
        // Logged before the response leaves, so a client that has its answer also finds it in the log.
        if (!req.path().startsWith("/_sim/")) {
            sim.logRequest(new RequestLogEntry(req.method(), req.pathAndQuery(), reply.status, user[0],
                    received));
        }
        write(response, reply, callback);
        return true;
    }

    private static SimRequest read(Request request) throws IOException {
        ByteBuffer content = Content.Source.asByteBuffer(request);
        byte[] body = new byte[content.remaining()];
        content.get(body);
        Headers headers = new Headers();
        for (HttpField field : request.getHeaders()) {
            headers.add(field.getName(), field.getValue());
        }
        String host = headers.getFirst("Host");
        if (host == null) {
            host = Request.getLocalAddr(request) + ":" + Request.getLocalPort(request);
        }
        return SimRequest.of(request.getMethod().toUpperCase(java.util.Locale.ROOT),
                request.getHttpURI().getPath(), request.getHttpURI().getQuery(), headers, body,
                (request.isSecure() ? "https://" : "http://") + host);
    }

    private Reply serve(SimRequest req, String[] userOut) {
        if (req.path().startsWith("/_sim/")) {
            return admin(req);
        }
        faults.fire(FaultSpec.Kind.LATENCY, req.path()).ifPresent(f -> pause(f.duration()));
        Optional<Reply> outage = outage(req.path());
        if (outage.isPresent()) {
            return outage.get();
        }
        Reply reply = route(req, userOut);
        return afterwards(req, reply);
    }

    private Optional<Reply> outage(String path) {
        if (faults.fire(FaultSpec.Kind.HIBERNATE, path).isPresent()) {
            return Optional.of(Responses.hibernating());
        }
        if (faults.fire(FaultSpec.Kind.PROXY_502, path).isPresent()) {
            return Optional.of(Responses.badGateway());
        }
        Optional<FaultSpec> error = faults.fire(FaultSpec.Kind.ERROR, path);
        if (error.isPresent()) {
            return Optional.of(Responses.error(error.get().status(), "Injected error",
                    "The simulator was told to fail this request"));
        }
        for (FaultSpec f : faults.all(FaultSpec.Kind.RANDOM_5XX)) {
            if (f.appliesToPath(path) && faults.draw(f)) {
                return Optional.of(faults.draw(f) ? Responses.serviceUnavailable()
                        : Responses.error(500, "Internal server error", "Injected random failure"));
            }
        }
        return Optional.empty();
    }

    private Reply route(SimRequest req, String[] userOut) {
        if (req.path().equals("/oauth_token.do")) {
            if (!req.method().equals("POST")) {
                return Responses.error(405, "Method not Supported", "Use POST");
            }
            return oauth.handle(SimRequest.decodeForm(new String(req.body(), StandardCharsets.UTF_8)));
        }
        Matcher table = TABLE_PATH.matcher(req.path());
        Matcher stats = STATS_PATH.matcher(req.path());
        if (!table.matches() && !stats.matches()) {
            return Responses.error(400, "Requested URI does not represent any resource", null);
        }
        Optional<SimUser> user = authenticate(req);
        if (user.isEmpty()) {
            return Responses.notAuthenticated();
        }
        userOut[0] = user.get().name();
        RateLimiter.Decision decision = rateLimiter == null ? null : rateLimiter.acquire(user.get().name());
        Reply reply;
        if (decision != null && !decision.allowed()) {
            reply = Responses.error(429, "Too Many Requests", "User " + user.get().name() + " exceeded the rate"
                    + " limit of " + decision.limit() + " requests").header("Retry-After",
                    String.valueOf(decision.retryAfterSeconds()));
        } else if (table.matches()) {
            int version = table.group(1) == null ? 0 : table.group(1).charAt(1) - '0';
            reply = tableApi.handle(req, user.get(), version, table.group(2), table.group(3));
        } else {
            reply = tableApi.stats(req, user.get(), stats.group(1));
        }
        if (decision != null) {
            decision.addHeaders(reply);
        }
        return reply;
    }

    private Optional<SimUser> authenticate(SimRequest req) {
        String auth = req.headers().getFirst("Authorization");
        if (auth == null) {
            return Optional.empty();
        }
        if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return oauth.userFor(auth.substring(7).trim()).flatMap(sim::user);
        }
        if (!auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String password = decoded.substring(colon + 1);
        return sim.user(decoded.substring(0, colon)).filter(u -> u.passwordMatches(password));
    }

    private Reply afterwards(SimRequest req, Reply reply) {
        if (!req.method().equals("GET")) {
            faults.fire(FaultSpec.Kind.WRITE_LATENCY, req.path()).ifPresent(f -> pause(f.duration()));
        }
        if (reply.records > 0) {
            faults.fire(FaultSpec.Kind.RECORD_LATENCY, req.path())
                    .ifPresent(f -> pause(f.duration().multipliedBy(reply.records)));
        }
        if (reply.isJson() && reply.body.length > 1 && faults.fire(FaultSpec.Kind.TRUNCATE, req.path()).isPresent()) {
            reply.body = Arrays.copyOf(reply.body, reply.body.length / 2);
        }
        return reply;
    }

    private Reply admin(SimRequest req) {
        if (!req.path().equals(ADMIN_FAULTS)) {
            return Responses.error(404, "No such simulator endpoint", req.path());
        }
        try {
            switch (req.method()) {
                case "POST" -> new String(req.body(), StandardCharsets.UTF_8).lines().map(String::trim)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(faults::apply);
                case "DELETE" -> faults.clear();
                case "GET" -> { }
                default -> {
                    return Responses.error(405, "Method not Supported", "Use GET, POST or DELETE");
                }
            }
        } catch (IllegalArgumentException e) {
            return Responses.error(400, "Invalid fault spec", e.getMessage());
        }
        ArrayNode active = Responses.MAPPER.createArrayNode();
        faults.active().forEach(f -> active.add(f.toString()));
        return Reply.json(200, Responses.bytes(Map.of("faults", active)));
    }

    private static void write(Response response, Reply reply, Callback callback) {
        response.setStatus(reply.status);
        reply.headers.forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put("Content-Length", reply.body.length);
        response.write(true, ByteBuffer.wrap(reply.body), callback);
    }

    private static void pause(Duration d) {
        try {
            TimeUnit.NANOSECONDS.sleep(d.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
