package io.snkb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's last step: scrapes {@code /metrics} like Prometheus would and checks that the events the bridge
 * counted as produced are the events the topic holds.
 */
final class MetricsCheck {
    private static final Pattern PRODUCED =
            Pattern.compile("^bridge_records_produced_total\\{[^}]*} (\\S+)$", Pattern.MULTILINE);
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private MetricsCheck() {
    }

    /** Prints the comparison; returns whether the counts agree. */
    static boolean print(PrintWriter out, URI base, TopicSnapshot topic) throws InterruptedException {
        Instant deadline = Instant.now().plus(SETTLE);
        long produced = produced(base);
        // The snapshot consumer may still be catching up with the last acknowledged events.
        while (topic.events() + topic.tombstones() != produced && Instant.now().isBefore(deadline)) {
            topic.poll(Duration.ofMillis(250));
            produced = produced(base);
        }
        boolean agree = topic.events() + topic.tombstones() == produced;
        out.printf("%s/metrics: bridge_records_produced_total %d, records in Kafka %d (%d events, %d tombstones)%s%n",
                base, produced, topic.events() + topic.tombstones(), topic.events(), topic.tombstones(),
                agree ? "" : "  (they differ)");
        out.flush();
        return agree;
    }

    private static long produced(URI base) throws InterruptedException {
        String body;
        try {
            body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot scrape " + base + "/metrics: " + e, e);
        }
        long total = 0;
        Matcher matcher = PRODUCED.matcher(body);
        while (matcher.find()) {
            total += (long) Double.parseDouble(matcher.group(1));
        }
        return total;
    }
}
