package io.snkb.bridge.internal.servicenow;

import io.snkb.bridge.config.Secret;
import io.snkb.bridge.internal.auth.BasicTokenProvider;
import io.snkb.bridge.internal.support.StopSignal;
import java.net.URI;
import java.time.Duration;

/** Readers of a simulated instance for tests that read pages without an engine. */
public final class TestReaders {
    private TestReaders() {
    }

    /** A reader of instance {@code dev} at {@code baseUrl} with basic auth, short timeouts and quick retries. */
    public static RetryingReader basic(URI baseUrl, String user, String password) {
        return new RetryingReader(new ServiceNowClient("dev", baseUrl, Duration.ofSeconds(1), Duration.ofSeconds(2),
                new BasicTokenProvider("dev", user, Secret.of(password)), "snkb-test"),
                new RetrySettings(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(500)),
                new StopSignal());
    }
}
