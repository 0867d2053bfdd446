package io.snkb.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BrokerLoggingTest {

    @Test
    void brokerLoggersWithoutTheirOwnLevelAreTurnedDownToWarn() {
        Logger raft = (Logger) LoggerFactory.getLogger("org.apache.kafka.raft");
        raft.setLevel(null);

        BrokerLogging.quietBrokerLoggers();

        assertThat(raft.getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void brokerLoggersConfiguredByTheApplicationKeepTheirLevel() {
        Logger snapshot = (Logger) LoggerFactory.getLogger("org.apache.kafka.snapshot");
        snapshot.setLevel(Level.DEBUG);
        try {
            BrokerLogging.quietBrokerLoggers();

            assertThat(snapshot.getLevel()).isEqualTo(Level.DEBUG);
        } finally {
            snapshot.setLevel(null);
        }
    }
}
