package io.snkb.bridge.internal.servicenow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceNowTimeTest {

    @Test
    void rawValuesAreReadAsUtcToTheSecond() {
        assertThat(ServiceNowTime.parse("2024-03-05 07:00:09")).isEqualTo(Instant.parse("2024-03-05T07:00:09Z"));
        assertThat(ServiceNowTime.parse("1999-12-31 23:59:59")).isEqualTo(Instant.parse("1999-12-31T23:59:59Z"));
        assertThat(ServiceNowTime.parse("2024-02-29 00:00:00")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
        assertThat(ServiceNowTime.format(ServiceNowTime.parse("2031-10-01 12:34:56")))
                .isEqualTo("2031-10-01 12:34:56");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2024-03-05", "2024-03-05T07:00:00", "2024-13-05 07:00:00",
            "2024-03-05 07:60:00", "2024-03-05 07:00:0x", "05-03-2024 07:00:00", "2024-03-05 07:00:00Z"})
    void anythingElseIsRefusedNamingTheValue(String raw) {
        assertThatThrownBy(() -> ServiceNowTime.parse(raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Not a ServiceNow date-time").hasMessageContaining(raw);
    }

    @Test
    void aDayPastTheEndOfItsMonthIsReadAsTheFormatterReadsIt() {
        assertThat(ServiceNowTime.parse("2023-02-30 10:00:00")).isEqualTo(Instant.parse("2023-02-28T10:00:00Z"));
    }
}
