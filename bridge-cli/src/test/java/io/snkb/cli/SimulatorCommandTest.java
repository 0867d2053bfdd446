package io.snkb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.snkb.testkit.servicenow.FaultSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulatorCommandTest {
    private static final Pattern SERVING = Pattern.compile("serving (http://\\S+)/api/now/table");
    private static final Path CSV = Path.of("..", "examples", "data", "incident_event_log.csv");

    @Test
    void everyFaultExampleInTheHelpIsAcceptedAsGiven() {
        CommandLine.Model.OptionSpec fault = new CommandLine(new SimulatorCommand()).getCommandSpec()
                .findOption("--fault");
        String help = String.join(" ", fault.description());
        String examples = help.substring(help.indexOf("Examples: ") + "Examples: ".length(), help.indexOf(". Also"));

        assertThat(examples.split(", ")).hasSizeGreaterThan(5).allSatisfy(example ->
                assertThat(FaultSpec.parse(example).toString()).isNotBlank());
    }

    @Test
    void servesTheReplayedIncidentHistoryShapedLikeServiceNow() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = SnkbCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        Thread command = new Thread(() -> cli.execute("simulator", "--port", "0", "--seed-csv", CSV.toString()));
        command.start();
        try {
            String baseUrl = awaitOutput(out, SERVING).group(1);
            awaitOutput(out, Pattern.compile("Replay finished: 5998 events applied"));

            HttpResponse<String> page = get(baseUrl + "/api/now/table/incident?sysparm_query="
                    + "active%3Dtrue%5EORactive%3Dfalse%5EORDERBYsys_updated_on&sysparm_limit=100");

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
            assertThat(page.headers().firstValue("X-Total-Count")).contains("890");
            assertThat(page.headers().firstValue("Link")).get().asString()
                    .contains("rel=\"next\"").contains("rel=\"last\"").contains("sysparm_offset=100");
            JsonNode result = new ObjectMapper().readTree(page.body()).get("result");
            assertThat(result).hasSize(100);
            assertThat(result.get(0).get("number").asText()).startsWith("INC");
            assertThat(result.get(0).get("sys_id").asText()).matches("[0-9a-f]{32}");
            assertThat(result.get(0).get("caller_id").get("value").asText()).matches("[0-9a-f]{32}");
            assertThat(result.get(0).get("sys_updated_on").asText())
                    .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        } finally {
            command.interrupt();
            command.join(10_000);
        }
        assertThat(command.isAlive()).isFalse();
    }

    @Test
    void issuesTokensWithTheGivenLifetimeForClientCredentialsAndJwtBearerGrants(@TempDir Path dir)
            throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path publicKey = dir.resolve("app.pub.pem");
        Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        StringWriter out = new StringWriter();
        CommandLine cli = SnkbCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        Thread command = new Thread(() -> cli.execute("simulator", "--port", "0", "--oauth-client",
                "app:app-secret:admin", "--token-lifetime", "90s", "--jwt-key", "app:" + publicKey));
        command.start();
        try {
            String baseUrl = awaitOutput(out, SERVING).group(1);

            JsonNode credentials = token(baseUrl,
                    "grant_type=client_credentials&client_id=app&client_secret=app-secret");
            JsonNode jwt = token(baseUrl, "grant_type=" + URLEncoder.encode(
                    "urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                    + "&client_id=app&client_secret=app-secret&assertion=" + assertion(keys.getPrivate()));

            assertThat(credentials.get("expires_in").asInt()).isEqualTo(89);
            assertThat(credentials.get("access_token").asText()).isNotBlank();
            assertThat(jwt.get("access_token").asText()).isNotBlank();
        } finally {
            command.interrupt();
            command.join(10_000);
        }
    }

    private static String assertion(PrivateKey key) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .issuer("app").audience("app").subject("admin").jwtID("one")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static JsonNode token(String baseUrl, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/oauth_token.do"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private static Matcher awaitOutput(StringWriter out, Pattern pattern) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            Matcher matcher = pattern.matcher(out.toString());
            if (matcher.find()) {
                return matcher;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("No '" + pattern + "' in the output within 30 s:\n" + out);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        String basic = Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic).header("Accept", "application/json").build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
