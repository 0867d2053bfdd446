package io.snkb.bridge.config;

import static io.snkb.bridge.config.ConfigLoaderTest.MINIMAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubstitutionTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = Map.of("SN_USER", "svc_snkb", "EMPTY", "", "TRICKY", "a${SN_USER}b");

    private Substitution.Result substitute(String text) {
        return new Substitution(env::get, dir).apply(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pa$$word", "$5", "$5abc", "pa$$w0rd${", "${", "${SN_USER", "$HOME", "a$b", "$", "$$",
            "${5abc}", "${not a name}", "${file:}", "100$"})
    void dollarSignsThatStartNoReferenceStayAsWritten(String text) {
        assertThat(substitute(text)).isEqualTo(new Substitution.Result(text, java.util.List.of()));
    }

    @Test
    void environmentVariablesAreReplaced() {
        assertThat(substitute("user=${SN_USER}, again ${SN_USER}").value()).isEqualTo("user=svc_snkb, again svc_snkb");
    }

    @Test
    void fallbackIsUsedWhenTheVariableIsUnsetOrEmpty() {
        assertThat(substitute("${NOPE:-localhost:9092}").value()).isEqualTo("localhost:9092");
        assertThat(substitute("${EMPTY:-x}").value()).isEqualTo("x");
        assertThat(substitute("${NOPE:-}").value()).isEmpty();
        assertThat(substitute("${SN_USER:-other}").value()).isEqualTo("svc_snkb");
    }

    @Test
    void emptyVariableWithoutFallbackIsEmptyText() {
        assertThat(substitute("[${EMPTY}]")).isEqualTo(new Substitution.Result("[]", java.util.List.of()));
    }

    @Test
    void doubledDollarEscapesAReference() {
        assertThat(substitute("$${SN_USER} and $${file:/x}").value()).isEqualTo("${SN_USER} and ${file:/x}");
    }

    @Test
    void substitutedTextIsNotScannedAgain() {
        assertThat(substitute("${TRICKY}").value()).isEqualTo("a${SN_USER}b");
    }

    @Test
    void fileContentReplacesTheReferenceWithoutOneTrailingNewline() throws Exception {
        Path secret = Files.writeString(dir.resolve("pw"), "pa$$w0rd${\n\n");
        Path windows = Files.writeString(dir.resolve("win"), "line\r\n");

        assertThat(substitute("${file:" + secret + "}").value()).isEqualTo("pa$$w0rd${\n");
        assertThat(substitute("${file:win}").value()).isEqualTo("line");
        assertThat(windows).exists();
    }

    @Test
    void unresolvableReferencesAreAllReported() {
        Substitution.Result result = substitute("${A}-${file:missing.txt}-${B}");

        assertThat(result.errors()).containsExactly("environment variable A is not set",
                "file missing.txt in ${file:...} does not exist", "environment variable B is not set");
    }

    @Test
    void passwordsWithDollarSignsSurviveLoading() {
        String yaml = MINIMAL.replace("password: s3cret", "password: 'pa$$w0rd${'")
                .replace("username: svc_snkb", "username: $5abc");

        AuthConfig auth = ConfigLoaderTest.parse(yaml).instances().get(0).auth();

        assertThat(auth.password().reveal()).isEqualTo("pa$$w0rd${");
        assertThat(auth.username()).isEqualTo("$5abc");
    }

    @Test
    void loaderSubstitutesEnvironmentAndFilesRelativeToTheConfigFile() throws Exception {
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/acme"), "from-file\n");
        Path file = Files.writeString(dir.resolve("snkb.yaml"), MINIMAL
                .replace("password: s3cret", "password: ${file:secrets/acme}")
                .replace("username: svc_snkb", "username: ${SN_USER}")
                .replace("localhost:9092", "${KAFKA:-broker:9092}"));

        BridgeConfig config = ConfigLoader.load(file, env::get);

        assertThat(config.instances().get(0).auth().password().reveal()).isEqualTo("from-file");
        assertThat(config.instances().get(0).auth().username()).isEqualTo("svc_snkb");
        assertThat(config.kafka().bootstrapServers()).isEqualTo("broker:9092");
    }

    @Test
    void substitutedValuesAreValidatedLikeWrittenOnes() {
        String yaml = MINIMAL.replace("https://acme.service-now.com", "${SN_URL}");

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "t.yaml", Map.of("SN_URL", "ftp://x")::get))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "Invalid value 'ftp://x' for 'instances[0].base-url': must be an http or https URL");
    }

    @Test
    void missingVariableIsAProblemNamingTheKeyAndTheVariable() {
        String yaml = MINIMAL.replace("password: s3cret", "password: ${ACME_PASSWORD}")
                .replace("username: svc_snkb", "username: ${ACME_USER}");

        assertThat(ConfigLoaderTest.problems(yaml)).containsExactly(
                "Invalid value '${ACME_USER}' for 'instances[0].auth.username': "
                        + "environment variable ACME_USER is not set",
                "Invalid value '******' for 'instances[0].auth.password': "
                        + "environment variable ACME_PASSWORD is not set");
    }

    @Test
    void missingFileIsAProblemNamingTheKeyAndTheFile() {
        String yaml = MINIMAL.replace("password: s3cret", "password: ${file:/nonexistent/snkb/pw}");

        assertThat(ConfigLoaderTest.problems(yaml)).containsExactly("Invalid value '******' for "
                + "'instances[0].auth.password': file /nonexistent/snkb/pw in ${file:...} does not exist");
    }
}
