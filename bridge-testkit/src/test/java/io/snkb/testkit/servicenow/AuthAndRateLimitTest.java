package io.snkb.testkit.servicenow;

import static io.snkb.testkit.servicenow.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snkb.testkit.ManualClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthAndRateLimitTest {

    private final ManualClock clock = ManualClock.at("2024-03-05T06:10:00Z");
    private ServiceNowSimulator sim;

    @BeforeEach
    void start() {
        sim = ServiceNowSimulator.builder().user("snkb", "pw", ZoneOffset.UTC).user("other", "pw2", ZoneOffset.UTC)
                .oauthClient("client-id", "client-secret").tokenLifetime(Duration.ofSeconds(1800))
                .rateLimit(3, Duration.ofHours(1)).clock(clock).build().start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void missingOrWrongBasicCredentialsAnswer401Envelope() {
        HttpResponse<String> none = SimClient.anonymous(sim).get("/api/now/table/incident");
        HttpResponse<String> wrong = SimClient.basic(sim, "snkb", "nope").get("/api/now/table/incident");

        for (HttpResponse<String> r : java.util.List.of(none, wrong)) {
            assertThat(r.statusCode()).isEqualTo(401);
            JsonNode error = json(r).get("error");
            assertThat(error.get("message").asText()).isEqualTo("User Not Authenticated");
            assertThat(error.get("detail").asText()).isEqualTo("Required to provide Auth information");
        }
        assertThat(sim.requestLog()).extracting(RequestLogEntry::status).containsExactly(401, 401);
    }

    @Test
    void passwordGrantIssuesBearerTokenThatExpiresOnTheClock() {
        JsonNode token = token("grant_type=password&client_id=client-id&client_secret=client-secret"
                + "&username=snkb&password=pw");
        SimClient bearer = SimClient.bearer(sim, token.get("access_token").asText());

        assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.get("expires_in").asInt()).isEqualTo(1799);
        assertThat(token.get("refresh_token").asText()).isNotEmpty();
        assertThat(token.get("scope").asText()).isEqualTo("useraccount");
        assertThat(bearer.get("/api/now/table/incident").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1800));
        assertThat(bearer.get("/api/now/table/incident").statusCode()).isEqualTo(401);
        assertThat(sim.tokenRequestCount()).isEqualTo(1);
    }

    @Test
    void refreshTokenGrantsNewAccessTokenUntilRevoked() {
        JsonNode first = token("grant_type=password&client_id=client-id&client_secret=client-secret"
                + "&username=snkb&password=pw");
        JsonNode refreshed = token("grant_type=refresh_token&client_id=client-id&client_secret=client-secret"
                + "&refresh_token=" + first.get("refresh_token").asText());

        assertThat(refreshed.get("access_token").asText()).isNotEqualTo(first.get("access_token").asText());
        SimClient bearer = SimClient.bearer(sim, refreshed.get("access_token").asText());
        assertThat(bearer.get("/api/now/table/incident").statusCode()).isEqualTo(200);
        assertThat(sim.requestLog().get(sim.requestLog().size() - 1).user()).isEqualTo("snkb");

        sim.revokeTokens();

        assertThat(bearer.get("/api/now/table/incident").statusCode()).isEqualTo(401);
        HttpResponse<String> again = SimClient.anonymous(sim).postForm("/oauth_token.do", "grant_type=refresh_token"
                + "&client_id=client-id&client_secret=client-secret&refresh_token="
                + first.get("refresh_token").asText());
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(json(again).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void clientCredentialsGrantActsAsConfiguredUser() {
        JsonNode token = token("grant_type=client_credentials&client_id=client-id&client_secret=client-secret");

        SimClient.bearer(sim, token.get("access_token").asText()).get("/api/now/table/incident");

        assertThat(token.has("refresh_token")).isFalse();
        assertThat(sim.requestLog().get(sim.requestLog().size() - 1).user()).isEqualTo("snkb");
    }

    @Test
    void badClientOrUserOrUnknownBearerIsRejected() {
        SimClient anon = SimClient.anonymous(sim);
        HttpResponse<String> badClient = anon.postForm("/oauth_token.do",
                "grant_type=password&client_id=client-id&client_secret=wrong&username=snkb&password=pw");
        HttpResponse<String> badUser = anon.postForm("/oauth_token.do",
                "grant_type=password&client_id=client-id&client_secret=client-secret&username=snkb&password=no");
        HttpResponse<String> badGrant = anon.postForm("/oauth_token.do",
                "grant_type=magic&client_id=client-id&client_secret=client-secret");

        assertThat(badClient.statusCode()).isEqualTo(401);
        assertThat(json(badClient).get("error").asText()).isEqualTo("invalid_client");
        assertThat(badUser.statusCode()).isEqualTo(401);
        assertThat(json(badUser).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(badGrant.statusCode()).isEqualTo(400);
        assertThat(SimClient.bearer(sim, "made-up").get("/api/now/table/incident").statusCode()).isEqualTo(401);
        assertThat(sim.tokenRequestCount()).isEqualTo(3);
    }

    @Test
    void rateLimitAnswers429WithRetryAfterUntilTheWindowEnds() {
        SimClient client = SimClient.basic(sim, "snkb", "pw");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = client.get("/api/now/table/incident");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
            assertThat(ok.headers().firstValue("X-RateLimit-Rule")).isPresent();
        }

        HttpResponse<String> limited = client.get("/api/now/table/incident");

        long windowEnd = java.time.Instant.parse("2024-03-05T07:00:00Z").getEpochSecond();
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("3000");
        assertThat(limited.headers().firstValue("X-RateLimit-Reset")).hasValue(String.valueOf(windowEnd));
        assertThat(json(limited).get("status").asText()).isEqualTo("failure");
        assertThat(SimClient.basic(sim, "other", "pw2").get("/api/now/table/incident").statusCode())
                .as("limits are per user").isEqualTo(200);
        clock.advance(Duration.ofMinutes(50));
        assertThat(client.get("/api/now/table/incident").statusCode()).isEqualTo(200);
    }

    private JsonNode token(String form) {
        HttpResponse<String> r = SimClient.anonymous(sim).postForm("/oauth_token.do", form);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }
}
