package io.snkb.bridge.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkb.bridge.config.Secret;
import io.snkb.bridge.spi.AuthenticationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicTokenProviderTest {
    private final BasicTokenProvider provider = new BasicTokenProvider("dev", "snkb.integration", Secret.of("pä55"));

    @Test
    void headerIsBasicWithUtf8Credentials() {
        String expected = Base64.getEncoder().encodeToString("snkb.integration:pä55".getBytes(StandardCharsets.UTF_8));
        assertThat(provider.authorization()).isEqualTo("Basic " + expected);
    }

    @Test
    void rejectionIsFatalAndNamesInstanceAndUserOnly() {
        assertThatThrownBy(() -> provider.rejected(provider.authorization()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("'dev'")
                .hasMessageContaining("snkb.integration")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pä55"));
    }

    @Test
    void descriptionAndToStringHideThePassword() {
        assertThat(provider.describe()).isEqualTo("basic as snkb.integration");
        assertThat(provider.toString()).contains("snkb.integration").doesNotContain("pä55")
                .doesNotContain(provider.authorization().substring(6));
    }
}
