package io.snkb.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} is generated from the key declarations; this test fails when it is stale.
 * Run it with {@code -Dsnkb.regenerateDocs=true} to rewrite the file.
 */
class ConfigReferenceDocTest {

    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final String REGENERATE = "mvn -B -q -pl bridge-core -am test -Dtest=ConfigReferenceDocTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dsnkb.regenerateDocs=true";

    @Test
    void configurationReferenceMatchesTheDeclaredKeys() throws Exception {
        String example = Files.readString(ConfigExampleTest.EXAMPLE, StandardCharsets.UTF_8);
        String generated = ConfigReference.markdown(example);
        if (Boolean.getBoolean("snkb.regenerateDocs")) {
            Files.createDirectories(DOC.getParent());
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }

        String current = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";

        assertThat(current)
                .as("docs/configuration.md is out of date with ConfigSchema; regenerate it with:%n  %s", REGENERATE)
                .isEqualTo(generated);
    }

    @Test
    void referenceDocumentsEveryKeyWithItsDefault() {
        String reference = ConfigReference.markdown("example: true");

        assertThat(reference)
                .contains("| `instances[].tables[].page-size` | integer | `source.page-size` | 1 to 10000 |")
                .contains("| `instances[].auth.username` | string |  | required when auth.type is basic or "
                        + "auth.grant is password or jwt-bearer; not empty |")
                .contains("| `sink.enabled` | boolean | `false` |  | Whether Kafka records are written into "
                        + "ServiceNow. |")
                .contains("| `http.port` | integer | `8080` | 0 to 65535 |")
                .contains("```yaml\nexample: true\n```");
        ConfigSchema.paths().values().forEach(path -> assertThat(reference).contains("| `" + path + "` |"));
    }
}
