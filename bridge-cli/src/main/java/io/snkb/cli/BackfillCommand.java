package io.snkb.cli;

import io.snkb.bridge.Backfill;
import io.snkb.bridge.BackfillProgress;
import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code snkb backfill}: copies one table once, with a progress line, until it is done or stopped by SIGTERM
 * or Ctrl-C; the same command run again resumes an unfinished copy.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Copies one ServiceNow table into its Kafka topic once, as read events (op r).",
            "Safe to run while 'snkb run' polls the same table. Stopped or killed, the same command resumes it."})
final class BackfillCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillCommand.class);
    private static final Duration REFRESH = Duration.ofMillis(250);
    private static final int BAR_WIDTH = 24;

    @Mixin
    ConfigOption config;

    @Option(names = "--instance", required = true, paramLabel = "NAME", description = "The configured instance.")
    String instance;

    @Option(names = "--table", required = true, paramLabel = "TABLE",
            description = "The table; it must be configured for the instance.")
    String table;

    @Option(names = "--from", paramLabel = "TIME", converter = TimestampConverter.class,
            description = "Only rows with sys_updated_on at or after this time: 'yyyy-MM-dd HH:mm:ss' (UTC), "
                    + "'yyyy-MM-dd' or ISO-8601; a fraction of a second rounds up to the next second.")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = TimestampConverter.class,
            description = "Only rows with sys_updated_on before this time.")
    Instant to;

    @Option(names = "--query", paramLabel = "QUERY", defaultValue = "",
            description = "An encoded query ANDed to the table's, e.g. active=true.")
    String query;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        BridgeConfig loaded = config.load();
        Backfill backfill;
        try {
            backfill = Backfill.builder().config(loaded).instance(instance).table(table).from(from).to(to)
                    .query(query).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Termination termination = Termination.install();
        try (backfill) {
            backfill.start();
            return follow(backfill, termination, loaded.shutdownTimeout());
        }
    }

    private int follow(Backfill backfill, Termination termination, Duration shutdownTimeout)
            throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = Progress.forTerminal(out);
        boolean signalled = false;
        while (!backfill.awaitFinished(REFRESH)) {
            progress.show(line(backfill.progress()));
            if (termination.await(0)) {
                signalled = true;
                break;
            }
        }
        if (signalled) {
            LOG.info("Stopping: storing the positions reached (at most {})", Durations.format(shutdownTimeout));
            backfill.close(shutdownTimeout);
        }
        BackfillProgress end = backfill.progress();
        progress.show(line(end));
        progress.done();
        return outcome(end, out);
    }

    private int outcome(BackfillProgress end, PrintWriter out) {
        switch (end.state()) {
            case COMPLETED -> {
                out.printf("Backfill of %s/%s completed: %d records in %s%n", instance, table, end.acknowledged(),
                        clock(end.elapsed()));
                long missing = end.expected() - end.acknowledged();
                if (missing > 0) {
                    out.printf("%d of the %d rows the instance counted at the start were not copied: hidden from "
                            + "the integration user by row-level ACLs%s, or deleted or updated out of the copy "
                            + "meanwhile%n", missing, end.expected(),
                            end.hidden() > 0 ? " (" + end.hidden() + " known hidden)" : "");
                }
                return ExitCodes.OK;
            }
            case FAILED -> LOG.error("Backfill of {}/{} failed: {}. Run the same command again to resume it",
                    instance, table, end.error());
            default -> LOG.warn("Backfill of {}/{} stopped before the end; run the same command again to resume it",
                    instance, table);
        }
        out.flush();
        return ExitCodes.RUNTIME_FAILURE;
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String clock(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds >= 3600
                ? String.format("%d:%02d:%02d", seconds / 3600, seconds % 3600 / 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }

    /**
     * E.g. {@code [######......]  1200/4000 records  310/s  ETA 0:09  ranges 1/4}; rows stepped over as hidden by
     * row-level ACLs, counted by the instance but never sent, fill the bar too and are named after the records.
     */
    static String line(BackfillProgress p) {
        StringBuilder text = new StringBuilder();
        if (p.expected() > 0) {
            long passed = p.acknowledged() + p.hidden();
            int filled = (int) Math.min(BAR_WIDTH, passed * BAR_WIDTH / p.expected());
            text.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("]  ")
                    .append(p.acknowledged()).append('/').append(p.expected()).append(" records");
        } else {
            text.append(p.acknowledged()).append(" records");
        }
        if (p.hidden() > 0) {
            text.append(" (").append(p.hidden()).append(" hidden)");
        }
        text.append(String.format("  %.0f/s", p.ratePerSecond()));
        if (!p.finished()) {
            p.eta().ifPresent(eta -> text.append("  ETA ").append(clock(eta)));
        }
        return text.append("  ranges ").append(p.rangesDone()).append('/').append(p.ranges()).toString();
    }
}
