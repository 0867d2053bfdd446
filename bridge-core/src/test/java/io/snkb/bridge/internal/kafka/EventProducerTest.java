package io.snkb.bridge.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.bridge.config.KafkaConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventProducerTest {

    @Test
    void defaultsFavourDurabilityAndConfiguredPropertiesWin() {
        Map<String, Object> props = EventProducer.properties(new KafkaConfig("k1:9092",
                Map.of("linger.ms", "5", "security.protocol", "SSL", "key.serializer", "x.Y")));
        assertThat(props).containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("compression.type", "lz4")
                .containsEntry("bootstrap.servers", "k1:9092")
                .containsEntry("linger.ms", "5")
                .containsEntry("security.protocol", "SSL")
                .doesNotContainKey("key.serializer");
    }

    @Test
    void aSendWaitsForMissingMetadataFarLessThanKafkasMinuteUnlessConfigured() {
        assertThat(EventProducer.properties(new KafkaConfig("k1:9092", Map.of())))
                .containsEntry("max.block.ms", "15000");
        assertThat(EventProducer.properties(new KafkaConfig("k1:9092", Map.of("max.block.ms", "60000"))))
                .containsEntry("max.block.ms", "60000");
    }
}
