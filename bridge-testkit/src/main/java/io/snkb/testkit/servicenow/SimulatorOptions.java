package io.snkb.testkit.servicenow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A simulator described by plain values, as a command line gives them: port, users as
 * {@code name:password[:zone[:dateFormat]]}, OAuth clients as {@code id:secret[:user]}, JWT bearer public keys
 * as {@code clientId:pemFile}, the access-token lifetime, a rate limit as
 * {@code 100/1h}, fault specs ({@link FaultSpec}), synthetic incidents to seed and an incident CSV to replay.
 * {@link Builder#build()} checks every value and reports all problems at once.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class SimulatorOptions {

    private final String host;
    private final int port;
    private final List<SimUser> users;
    private final List<String[]> clients;
    private final Map<String, PublicKey> jwtKeys;
    private final Duration tokenLifetime;
    private final int rateLimit;
    private final Duration rateWindow;
    private final int maxLimit;
    private final List<FaultSpec> faults;
    private final int seedIncidents;
    private final Path replayCsv;
    private final double replayRate;

    private SimulatorOptions(Builder b, List<SimUser> users, List<String[]> clients, Map<String, PublicKey> jwtKeys,
            Duration tokenLifetime, List<FaultSpec> faults, int rateLimit, Duration rateWindow) {
        this.jwtKeys = Map.copyOf(jwtKeys);
        this.tokenLifetime = tokenLifetime;
        this.host = b.host;
        this.port = b.port;
        this.users = List.copyOf(users);
        this.clients = List.copyOf(clients);
        this.rateLimit = rateLimit;
        this.rateWindow = rateWindow;
        this.maxLimit = b.maxLimit;
        this.faults = List.copyOf(faults);
        this.seedIncidents = b.seedIncidents;
        this.replayCsv = b.replayCsv;
        this.replayRate = b.replayRate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A simulator configured with these options (users, clients, limits, faults), not yet started or filled. */
    public ServiceNowSimulator createSimulator() {
        ServiceNowSimulator.Builder b = ServiceNowSimulator.builder().host(host).port(port).maxLimit(maxLimit)
                .tokenLifetime(tokenLifetime);
        jwtKeys.forEach(b::jwtKey);
        users.forEach(b::user);
        clients.forEach(c -> {
            if (c[2] == null) {
                b.oauthClient(c[0], c[1]);
            } else {
                b.oauthClient(c[0], c[1], c[2]);
            }
        });
        if (rateLimit > 0) {
            b.rateLimit(rateLimit, rateWindow);
        }
        ServiceNowSimulator sim = b.build();
        faults.forEach(sim.faults()::add);
        return sim;
    }

    /** Creates and starts the simulator, seeds it, and starts the replay if a CSV was given. */
    public Running start() {
        ServiceNowSimulator sim = createSimulator().start();
        if (seedIncidents > 0) {
            Seeder.builder().incidents(seedIncidents).build().seed(sim);
        }
        ReplayHandle replay = null;
        if (replayCsv != null) {
            ReplayOptions options = replayRate > 0 ? ReplayOptions.rate(replayRate) : ReplayOptions.instant();
            replay = IncidentHistoryReplay.fromCsv(replayCsv).replayInto(sim, options);
        }
        return new Running(sim, Optional.ofNullable(replay));
    }

    /**
     * A started simulator and its replay, if any. Closing stops the replay and the simulator.
     *
     * @param simulator the running simulator
     * @param replay the replay in progress
     */
    public record Running(ServiceNowSimulator simulator, Optional<ReplayHandle> replay) implements AutoCloseable {
        @Override
        public void close() {
            replay.ifPresent(ReplayHandle::stop);
            simulator.close();
        }
    }

    /** Collects option values; not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private final List<String> userSpecs = new ArrayList<>();
        private final List<String> clientSpecs = new ArrayList<>();
        private final List<String> jwtKeySpecs = new ArrayList<>();
        private String tokenLifetimeSpec = "30m";
        private String rateLimitSpec;
        private int maxLimit = 10_000;
        private final List<String> faultSpecs = new ArrayList<>();
        private int seedIncidents;
        private Path replayCsv;
        private double replayRate;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port; default 8080, 0 for a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A user as {@code name:password[:zone[:dateFormat]]}, e.g. {@code snkb:pw:Europe/Paris:dd-MM-yyyy}. */
        public Builder user(String spec) {
            userSpecs.add(spec);
            return this;
        }

        /** An OAuth client as {@code id:secret[:user]}; without a user it acts as the first user given. */
        public Builder oauthClient(String spec) {
            clientSpecs.add(spec);
            return this;
        }

        /**
         * A public key that verifies the JWT bearer assertions of an OAuth client, as {@code clientId:pemFile};
         * the file holds an X.509 {@code BEGIN PUBLIC KEY} PEM of an RSA or EC key.
         */
        public Builder jwtKey(String spec) {
            jwtKeySpecs.add(spec);
            return this;
        }

        /** How long access tokens last, e.g. {@code 30s}; default 30m ({@code expires_in} says one second less). */
        public Builder tokenLifetime(String spec) {
            this.tokenLifetimeSpec = spec;
            return this;
        }

        /** A per-user rate limit as {@code requests/window}, e.g. {@code 100/1h} or {@code 5/10s}. */
        public Builder rateLimit(String spec) {
            this.rateLimitSpec = spec;
            return this;
        }

        public Builder maxLimit(int maxLimit) {
            this.maxLimit = maxLimit;
            return this;
        }

        /** A fault spec, see {@link FaultSpec}. */
        public Builder fault(String spec) {
            faultSpecs.add(spec);
            return this;
        }

        /** Synthetic incidents to create at start; default none. */
        public Builder seedIncidents(int n) {
            this.seedIncidents = n;
            return this;
        }

        /** An incident event CSV to replay at start. */
        public Builder replayCsv(Path csv) {
            this.replayCsv = csv;
            return this;
        }

        /** Replay pace in events per second; 0 (default) replays as fast as possible. */
        public Builder replayRate(double eventsPerSecond) {
            this.replayRate = eventsPerSecond;
            return this;
        }

        /**
         * Checks every value.
         *
         * @throws IllegalArgumentException listing every invalid value, one per line
         */
        public SimulatorOptions build() {
            List<String> problems = new ArrayList<>();
            if (port < 0 || port > 65535) {
                problems.add("Invalid value " + port + " for 'port': must be 0..65535");
            }
            if (maxLimit <= 0) {
                problems.add("Invalid value " + maxLimit + " for 'max-limit': must be positive");
            }
            if (seedIncidents < 0) {
                problems.add("Invalid value " + seedIncidents + " for 'seed-incidents': must not be negative");
            }
            if (replayRate < 0) {
                problems.add("Invalid value " + replayRate + " for 'replay-rate': must not be negative");
            }
            if (replayCsv != null && !Files.isReadable(replayCsv)) {
                problems.add("Invalid value " + replayCsv + " for 'replay-csv': not a readable file");
            }
            List<SimUser> users = parseUsers(problems);
            List<String[]> clients = parseClients(problems);
            Map<String, PublicKey> jwtKeys = parseJwtKeys(problems);
            Duration tokenLifetime = parseTokenLifetime(problems);
            List<FaultSpec> faults = parseFaults(problems);
            int[] limit = {0};
            Duration window = parseRateLimit(problems, limit);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems));
            }
            return new SimulatorOptions(this, users, clients, jwtKeys, tokenLifetime, faults, limit[0], window);
        }

        private List<SimUser> parseUsers(List<String> problems) {
            List<SimUser> users = new ArrayList<>();
            for (String spec : userSpecs) {
                String[] p = spec.split(":", 4);
                if (p.length < 2 || p[0].isBlank()) {
                    problems.add("Invalid value " + spec + " for 'user': expected name:password[:zone[:dateFormat]]");
                    continue;
                }
                try {
                    SimUser.Builder u = SimUser.builder(p[0]).password(p[1]);
                    if (p.length > 2 && !p[2].isEmpty()) {
                        u.timeZone(ZoneId.of(p[2]));
                    }
                    if (p.length > 3) {
                        u.dateFormat(p[3]);
                    }
                    users.add(u.build());
                } catch (DateTimeException | IllegalArgumentException e) {
                    problems.add("Invalid value " + spec + " for 'user': " + e.getMessage());
                }
            }
            return users;
        }

        private List<String[]> parseClients(List<String> problems) {
            List<String[]> clients = new ArrayList<>();
            for (String spec : clientSpecs) {
                String[] p = spec.split(":", 3);
                if (p.length < 2 || p[0].isBlank()) {
                    problems.add("Invalid value " + spec.split(":")[0] + ":*** for 'oauth-client': expected"
                            + " id:secret[:user]");
                    continue;
                }
                clients.add(new String[] {p[0], p[1], p.length > 2 ? p[2] : null});
            }
            return clients;
        }

        private Duration parseTokenLifetime(List<String> problems) {
            try {
                Duration lifetime = FaultSpec.Builder.parseDuration(tokenLifetimeSpec);
                if (lifetime.isNegative() || lifetime.isZero()) {
                    throw new IllegalArgumentException("not positive");
                }
                return lifetime;
            } catch (RuntimeException e) {
                problems.add("Invalid value " + tokenLifetimeSpec + " for 'token-lifetime': expected a positive "
                        + "duration like 30s or 30m");
                return Duration.ofMinutes(30);
            }
        }

        private Map<String, PublicKey> parseJwtKeys(List<String> problems) {
            Map<String, PublicKey> keys = new LinkedHashMap<>();
            for (String spec : jwtKeySpecs) {
                int colon = spec.indexOf(':');
                if (colon <= 0) {
                    problems.add("Invalid value " + spec + " for 'jwt-key': expected clientId:pemFile");
                    continue;
                }
                try {
                    keys.put(spec.substring(0, colon), JwtVerifier.readPem(Path.of(spec.substring(colon + 1))));
                } catch (IOException | InvalidPathException e) {
                    problems.add("Invalid value " + spec + " for 'jwt-key': " + e.getMessage());
                }
            }
            return keys;
        }

        private List<FaultSpec> parseFaults(List<String> problems) {
            List<FaultSpec> faults = new ArrayList<>();
            for (String spec : faultSpecs) {
                try {
                    faults.add(FaultSpec.parse(spec));
                } catch (IllegalArgumentException e) {
                    problems.add("Invalid value " + spec + " for 'fault': " + e.getMessage());
                }
            }
            return faults;
        }

        private Duration parseRateLimit(List<String> problems, int[] limitOut) {
            if (rateLimitSpec == null) {
                return Duration.ofHours(1);
            }
            String[] p = rateLimitSpec.split("/", 2);
            try {
                limitOut[0] = Integer.parseInt(p[0].trim());
                Duration window = p.length > 1 ? FaultSpec.Builder.parseDuration(p[1]) : Duration.ofHours(1);
                if (limitOut[0] <= 0 || window.isZero() || window.isNegative()) {
                    throw new IllegalArgumentException("count and window must be positive");
                }
                return window;
            } catch (IllegalArgumentException e) {
                problems.add("Invalid value " + rateLimitSpec + " for 'rate-limit': expected requests/window like"
                        + " 100/1h");
                limitOut[0] = 0;
                return Duration.ofHours(1);
            }
        }
    }
}
