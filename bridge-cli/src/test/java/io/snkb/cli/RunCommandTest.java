package io.snkb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.testkit.kafka.EmbeddedKafka;
import io.snkb.testkit.servicenow.RequestLogEntry;
import io.snkb.testkit.servicenow.ServiceNowSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    @TempDir
    Path dir;

    /** The only table does not exist, so the run ends by itself once the instance has answered as the user. */
    @Test
    void runAuthenticatesWithOAuthFromTheConfigFile() throws IOException {
        try (ServiceNowSimulator sim = ServiceNowSimulator.builder().user("snkb.integration", "pw", ZoneOffset.UTC)
                .oauthClient("snkb-app", "app-secret-31", "snkb.integration").build().start()) {
            Files.writeString(dir.resolve("client-secret"), "app-secret-31\n");
            Path config = Files.writeString(dir.resolve("snkb.yaml"), """
                    instances:
                      - name: dev
                        base-url: %s
                        auth:
                          type: oauth
                          grant: client-credentials
                          client-id: snkb-app
                          client-secret: ${file:client-secret}
                        tables:
                          - name: no_such_table
                    kafka:
                      bootstrap-servers: %s
                    offsets:
                      directory: %s
                    http:
                      enabled: false
                    """.formatted(sim.baseUrl(), EmbeddedKafka.shared().bootstrapServers(), dir.resolve("offsets")));

            CliRun run = CliRun.of("run", "--config", config.toString());

            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
            assertThat(sim.tokenRequestCount()).isEqualTo(1);
            assertThat(sim.requestLog()).filteredOn(e -> e.pathAndQuery().startsWith("/api/now/table/no_such_table"))
                    .isNotEmpty().allSatisfy(e -> assertThat(e.user()).isEqualTo("snkb.integration"))
                    .extracting(RequestLogEntry::status).containsOnly(400);
            assertThat(run.out() + run.err()).doesNotContain("app-secret-31");
        }
    }
}
