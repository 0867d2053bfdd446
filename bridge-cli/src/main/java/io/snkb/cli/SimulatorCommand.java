package io.snkb.cli;

import io.snkb.testkit.servicenow.SimulatorOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code snkb simulator}: serves the ServiceNow simulator until stopped, for testing pipelines without an
 * instance. Options map one to one onto {@link SimulatorOptions}.
 */
@Command(name = "simulator", mixinStandardHelpOptions = true,
        description = {"Serves a simulated ServiceNow instance (Table API, OAuth, rate limits, faults) until stopped.",
            "Without --user it accepts the user 'admin' with password 'admin'."})
final class SimulatorCommand implements Callable<Integer> {
    private static final String DEFAULT_USER = "admin:admin";

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "8080",
            description = "Port; 0 for a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--user", paramLabel = "NAME:PASSWORD[:ZONE[:DATE_FORMAT]]",
            description = "An API user; repeatable. ZONE is the user's time zone, e.g. America/Los_Angeles.")
    List<String> users = new ArrayList<>();

    @Option(names = "--oauth-client", paramLabel = "ID:SECRET[:USER]",
            description = "An OAuth client for /oauth_token.do; repeatable.")
    List<String> oauthClients = new ArrayList<>();

    @Option(names = "--jwt-key", paramLabel = "CLIENT_ID:PEM_FILE",
            description = "The public key (PEM, RSA or EC) that verifies the JWT bearer assertions of an OAuth "
                    + "client; repeatable.")
    List<String> jwtKeys = new ArrayList<>();

    @Option(names = "--token-lifetime", defaultValue = "30m", paramLabel = "DURATION",
            description = "How long access tokens last, e.g. 30s (default: ${DEFAULT-VALUE}); expires_in says one "
                    + "second less.")
    String tokenLifetime;

    @Option(names = "--rate-limit", paramLabel = "REQUESTS/WINDOW",
            description = "Requests allowed per user per window, e.g. 100/1h; then 429 with Retry-After.")
    String rateLimit;

    @Option(names = "--max-limit", defaultValue = "10000",
            description = "Default and largest sysparm_limit (default: ${DEFAULT-VALUE}).")
    int maxLimit;

    @Option(names = "--fault", paramLabel = "SPEC",
            description = "A fault to inject; repeatable. Examples: latency=200ms, hibernate:times=3, "
                    + "502:share=0.1, random-5xx=0.05:seed=7, max-page=500, truncate:times=1, "
                    + "hide-rows:user=admin:table=incident:query=priority=1. Also settable while running with "
                    + "POST /_sim/faults (one spec per line).")
    List<String> faults = new ArrayList<>();

    @Option(names = "--seed-incidents", defaultValue = "0", paramLabel = "N",
            description = "Synthetic incidents to create at start.")
    int seedIncidents;

    @Option(names = "--seed-csv", paramLabel = "FILE",
            description = "An incident event log to replay at start, e.g. examples/data/incident_event_log.csv.")
    Path seedCsv;

    @Option(names = "--replay-rate", defaultValue = "0", paramLabel = "EVENTS_PER_SECOND",
            description = "Pace of the --seed-csv replay; 0 replays at once (default).")
    double replayRate;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        SimulatorOptions options = options();
        PrintWriter out = spec.commandLine().getOut();
        Termination termination = Termination.install();
        try (SimulatorOptions.Running running = options.start()) {
            out.printf("ServiceNow simulator serving %s/api/now/table/{table}%n", running.simulator().baseUrl());
            if (users.isEmpty()) {
                out.println("User: admin / admin (Basic auth)");
            }
            running.replay().ifPresent(replay ->
                    out.printf("Replaying %d events from %s%n", replay.total(), seedCsv));
            out.println("Stop with Ctrl-C.");
            out.flush();
            running.replay().ifPresent(replay -> replay.done().thenRun(() -> {
                out.printf("Replay finished: %d events applied%n", replay.applied());
                out.flush();
            }));
            termination.await();
        }
        return ExitCodes.OK;
    }

    private SimulatorOptions options() {
        SimulatorOptions.Builder builder = SimulatorOptions.builder().host(host).port(port).maxLimit(maxLimit)
                .seedIncidents(seedIncidents).replayRate(replayRate);
        (users.isEmpty() ? List.of(DEFAULT_USER) : users).forEach(builder::user);
        oauthClients.forEach(builder::oauthClient);
        jwtKeys.forEach(builder::jwtKey);
        faults.forEach(builder::fault);
        if (rateLimit != null) {
            builder.rateLimit(rateLimit);
        }
        if (seedCsv != null) {
            builder.replayCsv(seedCsv);
        }
        builder.tokenLifetime(tokenLifetime);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
