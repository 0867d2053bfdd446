package io.snkb.bridge.internal.servicenow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyExcerptTest {

    @Test
    void htmlPageIsReducedToShortText() {
        String page = "<html><head><style>body{color:red}</style><title>Instance Hibernating</title></head>"
                + "<body><h1>Your instance is hibernating</h1>" + "<p>x</p>".repeat(200) + "</body></html>";
        String excerpt = BodyExcerpt.of(page.getBytes(StandardCharsets.UTF_8));
        assertThat(excerpt).startsWith("Instance Hibernating Your instance is hibernating")
                .doesNotContain("<", "color:red")
                .hasSizeLessThanOrEqualTo(BodyExcerpt.MAX_CHARS + 3);
    }

    @Test
    void emptyBodyIsSaidToBeEmpty() {
        assertThat(BodyExcerpt.of(new byte[0])).isEqualTo("(empty body)");
    }
}
