package io.snkb.bridge;

import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.internal.sink.DeadLetterReplayer;
import java.time.Duration;

/**
 * Sends the records of a dead letter topic back to the topics they were consumed from, unchanged apart
 * from the {@link DeadLetterHeaders} removed, so that a running sink writes them once their cause is fixed.
 * A replay reads up to the end the topic had when it started, in the consumer group
 * {@code <sink.group-id>-replay}: running it again sends only dead letters that arrived since.
 */
public final class DeadLetterReplay {
    private DeadLetterReplay() {
    }

    /**
     * How many records were sent back, and how many were skipped (no {@link DeadLetterHeaders#TOPIC}).
     *
     * @param replayed records sent back to their topics
     * @param skipped  records that named no topic
     */
    public record Result(long replayed, long skipped) {
    }

    /** Replays {@code fromTopic}; throws {@link IllegalStateException} when Kafka fails or time runs out. */
    public static Result replay(BridgeConfig config, String fromTopic, Duration timeout) {
        DeadLetterReplayer.Result result = new DeadLetterReplayer(config.kafka(),
                config.sink().groupId() + "-replay").replay(fromTopic, timeout);
        return new Result(result.replayed(), result.skipped());
    }
}
