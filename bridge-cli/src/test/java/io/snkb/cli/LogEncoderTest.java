package io.snkb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogEncoderTest {
    private final LoggerContext context = new LoggerContext();

    @Test
    void jsonFormatWritesOneObjectPerEventWithTheTableContextAndTheFormattedMessage() {
        String line = encode("JSON");

        assertThat(line).startsWith("{").endsWith("}\n").doesNotContain("\n{");
        assertThat(line).contains("\"level\":\"INFO\"", "\"formattedMessage\":\"Poll read 3 rows\"",
                "\"snkb.instance\":\"dev\"", "\"snkb.table\":\"incident\"");
    }

    @Test
    void textFormatFollowsThePattern() {
        assertThat(encode("text")).isEqualTo("INFO dev/incident Poll read 3 rows\n");
    }

    private String encode(String format) {
        LogEncoder encoder = new LogEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.setPattern("%level %X{snkb.instance}/%X{snkb.table} %msg%n");
        encoder.start();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("test"), Level.INFO, "Poll read {} rows",
                null, new Object[] {3});
        event.setMDCPropertyMap(Map.of("snkb.instance", "dev", "snkb.table", "incident"));
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
