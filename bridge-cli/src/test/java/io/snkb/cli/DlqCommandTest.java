package io.snkb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkb.bridge.DeadLetterHeaders;
import io.snkb.testkit.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DlqCommandTest {
    @TempDir
    Path dir;

    @Test
    void replaySendsDeadLettersBackToTheirTopicWithoutTheReasonHeaders() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        String dlq = "cli-dlq-" + System.nanoTime();
        String origin = "cli-origin-" + System.nanoTime();
        kafka.createTopic(dlq, 1);
        kafka.createTopic(origin, 1);
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", new byte[] {7});
        headers.add(DeadLetterHeaders.TOPIC, origin.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.ERROR_MESSAGE, "unknown field".getBytes(StandardCharsets.UTF_8));
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(dlq, null, "k".getBytes(StandardCharsets.UTF_8),
                    "{\"a\": 1}".getBytes(StandardCharsets.UTF_8), headers)).get();
        }
        Path file = Files.writeString(dir.resolve("snkb.yaml"), """
                instances:
                  - name: dev
                    base-url: http://127.0.0.1:1
                    auth: {type: basic, username: u, password: p}
                kafka:
                  bootstrap-servers: %s
                sink:
                  group-id: cli-replay-test
                """.formatted(kafka.bootstrapServers()));

        CliRun run = CliRun.of("dlq", "replay", "--config", file.toString(), "--from", dlq);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("Replayed 1 dead letters from " + dlq);
        ConsumerRecord<byte[], byte[]> replayed = readOne(kafka.bootstrapServers(), origin);
        assertThat(new String(replayed.value(), StandardCharsets.UTF_8)).isEqualTo("{\"a\": 1}");
        assertThat(replayed.headers().lastHeader("trace-id").value()).containsExactly(7);
        assertThat(replayed.headers().lastHeader(DeadLetterHeaders.ERROR_MESSAGE)).isNull();
    }

    @Test
    void replayFromATopicThatDoesNotExistFailsNamingIt() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        Path file = Files.writeString(dir.resolve("snkb.yaml"), """
                instances:
                  - name: dev
                    base-url: http://127.0.0.1:1
                    auth: {type: basic, username: u, password: p}
                kafka:
                  bootstrap-servers: %s
                """.formatted(kafka.bootstrapServers()));

        CliRun run = CliRun.of("dlq", "replay", "--config", file.toString(), "--from", "no.such.dlq",
                "--timeout", "20s");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        assertThat(run.err()).contains("'no.such.dlq' does not exist");
    }

    private static ConsumerRecord<byte[], byte[]> readOne(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
            }
        }
        assertThat(read).as("records in " + topic).isNotEmpty();
        return read.get(0);
    }
}
