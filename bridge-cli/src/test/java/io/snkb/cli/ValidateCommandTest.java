package io.snkb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    @TempDir
    Path dir;

    @Test
    void reportsEveryMistakeWithItsKeyPathAndExitsWithTheConfigCode() throws IOException {
        Path file = write("""
                instances:
                  - name: prod
                    base-url: ftp://acme.service-now.com
                    auth:
                      type: basic
                      username: snkb
                    tables:
                      - name: incident
                        page-size: 20000
                kafka:
                  bootstrap-servers: localhost:9092
                """);

        CliRun run = CliRun.of("validate", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_CONFIG);
        assertThat(run.err()).contains("3 problems")
                .contains("instances[0].base-url")
                .contains("instances[0].auth.password")
                .contains("instances[0].tables[0].page-size");
    }

    @Test
    void acceptsAJwtBearerInstanceAndMasksItsKeyAndSecrets() throws IOException {
        Files.writeString(dir.resolve("snkb-key.pem"), "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF\n"
                + "-----END PRIVATE KEY-----\n");
        Path file = write("""
                instances:
                  - name: prod
                    base-url: https://acme.service-now.com
                    trust-store: /etc/snkb/trust.p12
                    trust-store-password: trust-pw-1
                    proxy: proxy.acme.local:3128
                    auth:
                      type: oauth
                      grant: jwt-bearer
                      username: snkb
                      client-id: snkb-app
                      client-secret: client-secret-2
                      private-key: ${file:snkb-key.pem}
                      key-id: key-1
                    tables:
                      - name: incident
                kafka:
                  bootstrap-servers: localhost:9092
                """);

        CliRun run = CliRun.of("validate", "--config", file.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("jwt-bearer", "key-1", "proxy.acme.local:3128")
                .doesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEF", "client-secret-2", "trust-pw-1");
    }

    @Test
    void acceptsAValidFileAndPrintsItWithTheSecretMasked() throws IOException {
        Path file = write("""
                instances:
                  - name: prod
                    base-url: https://acme.service-now.com
                    auth:
                      type: basic
                      username: snkb
                      password: pa$$w0rd$5${
                    tables:
                      - name: incident
                kafka:
                  bootstrap-servers: localhost:9092
                """);

        CliRun run = CliRun.of("validate", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("valid").contains("incident").doesNotContain("pa$$w0rd");
    }

    @Test
    void aFileWithNothingToRunIsValidButWarnsThatRunRefusesIt() throws IOException {
        Path file = write("""
                instances:
                  - name: prod
                    base-url: https://acme.service-now.com
                    auth:
                      type: basic
                      username: snkb
                      password: secret
                    tables:
                      - name: incident
                kafka:
                  bootstrap-servers: localhost:9092
                source:
                  enabled: false
                """);

        CliRun validate = CliRun.of("validate", "--config", file.toString());
        CliRun run = CliRun.of("run", "--config", file.toString());

        assertThat(validate.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(validate.out()).contains("valid", "warning: 'snkb run' refuses this file",
                "source.enabled is false");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_CONFIG);
        assertThat(run.err()).contains("Nothing to run");
    }

    @Test
    void aMissingFileIsAConfigErrorNamingThePath() {
        CliRun run = CliRun.of("validate", "--config", dir.resolve("nope.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_CONFIG);
        assertThat(run.err()).contains("nope.yaml");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRun run = CliRun.of("validate", "--config", "x.yaml", "--strict");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Unknown option: '--strict'");
    }

    @Test
    void versionNamesTheProjectVersion() {
        CliRun run = CliRun.of("--version");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).containsPattern("snkb \\d+\\.\\d+\\.\\d+");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("snkb.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
