package io.snkb.cli;

import io.snkb.bridge.DeadLetterReplay;
import io.snkb.bridge.config.BridgeConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code snkb dlq}: works on the sink's dead letter topic. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Works on the sink's dead letter topic.",
        subcommands = DlqCommand.Replay.class)
final class DlqCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code snkb dlq replay}: sends dead letters back to their topics for the sink to write again. */
    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Sends dead letters back to the topics they came from, for the sink to write again.",
                "The records go without their snkb.dlq.* headers, once the cause is fixed; running it again",
                "sends only dead letters that arrived since."})
    static final class Replay implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--from", paramLabel = "TOPIC",
                description = "The dead letter topic (default: sink.dlq-topic of the configuration).")
        String from;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m",
                converter = DurationConverter.class, description = "How long the replay may take (default: 5m).")
        Duration timeout;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            BridgeConfig loaded = config.load();
            String topic = from != null ? from : loaded.sink().dlqTopic();
            PrintWriter out = spec.commandLine().getOut();
            DeadLetterReplay.Result result = DeadLetterReplay.replay(loaded, topic, timeout);
            out.printf("Replayed %d dead letters from %s%s%n", result.replayed(), topic,
                    result.skipped() > 0 ? " (" + result.skipped() + " without a source topic skipped)" : "");
            out.flush();
            return ExitCodes.OK;
        }
    }
}
