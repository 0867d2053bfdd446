package io.snkb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulatorCommandTest {
    private static final Pattern SERVING = Pattern.compile("serving (http://\\S+)/api/now/table");
    private static final Path CSV = Path.of("..", "examples", "data", "incident_event_log.csv");

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
