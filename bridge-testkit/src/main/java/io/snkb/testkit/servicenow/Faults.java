package io.snkb.testkit.servicenow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The faults a running simulator injects. Tests add them fluently ({@code sim.faults().proxy502(3)}), a command
 * line adds them as text ({@link #apply(String)}, language described at {@link FaultSpec}); several may be active
 * at once and are consulted in the order added. A fault added with a count fires on that many matching requests
 * and then disappears.
 *
 * <p>Thread-safe: faults may be added and cleared while requests are served.
 */
public final class Faults {

    private final List<Active> active = new CopyOnWriteArrayList<>();

    Faults() {
    }

    /** Parses one fault spec; see {@link FaultSpec} for the language. */
    public static FaultSpec parse(String spec) {
        return FaultSpec.parse(spec);
    }

    /** Adds a parsed fault. */
    public Faults add(FaultSpec spec) {
        active.add(new Active(Objects.requireNonNull(spec, "spec")));
        return this;
    }

    /** Parses and adds each spec. */
    public Faults apply(String... specs) {
        for (String s : specs) {
            add(FaultSpec.parse(s));
        }
        return this;
    }

    /** Every request waits {@code delay} before it is handled. */
    public Faults latency(Duration delay) {
        return add(FaultSpec.builder(FaultSpec.Kind.LATENCY).duration(delay).text("latency=" + delay).validate());
    }

    /** A response waits {@code delayPerRecord} for every record it returns. */
    public Faults recordLatency(Duration delayPerRecord) {
        return add(FaultSpec.builder(FaultSpec.Kind.RECORD_LATENCY).duration(delayPerRecord).validate());
    }

    /** Every request gets the hibernating-instance HTML page (status 200). */
    /** Every write waits {@code delay} after it is applied, before its answer leaves. */
    public Faults writeLatency(Duration delay) {
        return add(FaultSpec.builder(FaultSpec.Kind.WRITE_LATENCY).duration(delay).text("write-latency=" + delay)
                .validate());
    }

    public Faults hibernate() {
        return add(FaultSpec.builder(FaultSpec.Kind.HIBERNATE).validate());
    }

    /** The next {@code times} requests get the hibernating-instance HTML page. */
    public Faults hibernate(int times) {
        return add(FaultSpec.builder(FaultSpec.Kind.HIBERNATE).times(times).validate());
    }

    /** The next {@code times} requests get a proxy's 502 HTML page. */
    public Faults proxy502(int times) {
        return add(FaultSpec.builder(FaultSpec.Kind.PROXY_502).times(times).validate());
    }

    /** About {@code share} of the requests get a proxy's 502 HTML page, drawn from a {@code seed}ed sequence. */
    public Faults proxy502Share(double share, long seed) {
        return add(FaultSpec.builder(FaultSpec.Kind.PROXY_502).share(share, seed).validate());
    }

    /** The next {@code times} requests get ServiceNow's error envelope with {@code status}. */
    public Faults error(int status, int times) {
        return add(FaultSpec.builder(FaultSpec.Kind.ERROR).number(status).times(times).validate());
    }

    /** Requests fail with a 500 envelope or a 503 page with {@code probability}, reproducibly for a seed. */
    public Faults random5xx(double probability, long seed) {
        return add(FaultSpec.builder(FaultSpec.Kind.RANDOM_5XX).number(probability).seed(seed).validate());
    }

    /** List requests asking for more than {@code threshold} records are cancelled as too slow. */
    public Faults maxPageSize(int threshold) {
        return add(FaultSpec.builder(FaultSpec.Kind.MAX_PAGE).number(threshold).validate());
    }

    /** The next {@code times} JSON bodies are cut in the middle. */
    public Faults truncateBody(int times) {
        return add(FaultSpec.builder(FaultSpec.Kind.TRUNCATE).times(times).validate());
    }

    /**
     * Row-level ACL: rows of {@code table} matching {@code encodedQuery} are invisible to {@code user}
     * ({@code "*"}: everyone). The page limit is applied before rows are hidden, as in ServiceNow.
     */
    public Faults hideRows(String user, String table, String encodedQuery) {
        return add(FaultSpec.builder(FaultSpec.Kind.HIDE_ROWS).user(user).table(table).query(encodedQuery)
                .validate());
    }

    /** Row-level ACL with a Java predicate over the raw row. */
    public Faults hideRows(String user, String table, Predicate<Map<String, String>> hidden) {
        return add(FaultSpec.builder(FaultSpec.Kind.HIDE_ROWS).user(user).table(table).rowPredicate(hidden)
                .validate());
    }

    /** Field-level ACL: {@code fields} of {@code table} ({@code null}: any table) are omitted for {@code user}. */
    public Faults hideFields(String user, String table, String... fields) {
        return add(FaultSpec.builder(FaultSpec.Kind.HIDE_FIELDS).user(user).table(table).fields(List.of(fields))
                .validate());
    }

    /** Removes every fault. */
    public void clear() {
        active.clear();
    }

    /** The faults still active, in the order added. */
    public List<FaultSpec> active() {
        return active.stream().map(a -> a.spec).toList();
    }

    /** The first fault of {@code kind} that applies to the request and fires, consuming one of its counts. */
    Optional<FaultSpec> fire(FaultSpec.Kind kind, String path) {
        for (Active a : active) {
            if (a.spec.kind() == kind && a.spec.appliesToPath(path) && a.tryFire()) {
                if (a.exhausted()) {
                    active.remove(a);
                }
                return Optional.of(a.spec);
            }
        }
        return Optional.empty();
    }

    /** The active faults of {@code kind}, without consuming counts (used for ACL faults, which persist). */
    List<FaultSpec> all(FaultSpec.Kind kind) {
        return active.stream().map(a -> a.spec).filter(s -> s.kind() == kind).toList();
    }

    /** Draws from the seeded sequence of a random-5xx fault. */
    boolean draw(FaultSpec spec) {
        for (Active a : active) {
            if (a.spec == spec) {
                return a.nextDouble() < spec.probability();
            }
        }
        return false;
    }

    /** A fault with its remaining count and its random sequence. */
    private static final class Active {
        private final FaultSpec spec;
        private final AtomicInteger remaining;
        private final Random random;

        Active(FaultSpec spec) {
            this.spec = spec;
            this.remaining = new AtomicInteger(spec.times());
            this.random = new Random(spec.seed());
        }

        boolean tryFire() {
            if (spec.share() < 1.0 && nextDouble() >= spec.share()) {
                return false;
            }
            if (spec.times() < 0) {
                return true;
            }
            return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        }

        boolean exhausted() {
            return spec.times() >= 0 && remaining.get() == 0;
        }

        synchronized double nextDouble() {
            return random.nextDouble();
        }
    }
}
