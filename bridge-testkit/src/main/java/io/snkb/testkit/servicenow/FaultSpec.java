package io.snkb.testkit.servicenow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One fault to inject, as written on a command line or built in a test. Immutable and thread-safe; the
 * countdown of a {@code times=N} fault lives in the {@link Faults} it is added to.
 *
 * <h2>Spec language</h2>
 * <pre>
 * spec   := kind ['=' arg] (':' option)*
 * option := times=N | share=P | seed=S | user=NAME | table=NAME | path=PREFIX | query=ENCODED_QUERY
 * </pre>
 * {@code query=} must be the last option and takes the rest of the text, so encoded queries may contain
 * {@code :} and {@code =}. Kinds:
 * <ul>
 *   <li>{@code latency=50ms} every request waits first (units {@code ms}, {@code s}, {@code m}, {@code h})</li>
 *   <li>{@code record-latency=2ms} the response waits this long per record it returns</li>
 *   <li>{@code write-latency=100ms} every write ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) waits
 *       this long after it is applied</li>
 *   <li>{@code hibernate} 200 with the HTML page of a hibernating instance</li>
 *   <li>{@code proxy-502} 502 with a proxy's HTML page</li>
 *   <li>{@code error=503} ServiceNow's error envelope with that status</li>
 *   <li>{@code random-5xx=0.1} a 500 envelope or 503 HTML page with that probability ({@code seed=} fixes it)</li>
 *   <li>{@code max-page=500} list requests with {@code sysparm_limit} above 500 are cancelled
 *       ("Transaction cancelled: maximum execution time exceeded", status 500)</li>
 *   <li>{@code truncate} a JSON body cut in the middle (the HTTP exchange itself is well-formed)</li>
 *   <li>{@code hide-rows:user=u:table=incident:query=priority=1} row-level ACL: rows matching the query are
 *       hidden from user {@code u} ({@code *} or no user: everyone) after the page limit is applied</li>
 *   <li>{@code hide-fields=description,work_notes:user=u} fields omitted from records read by {@code u}</li>
 * </ul>
 * Without {@code times=} a fault persists until {@link Faults#clear()}; {@code share=0.25} fires on about a quarter
 * of requests (seeded by {@code seed=}, default 1); {@code path=/api/now/table/incident} restricts it to
 * requests whose path starts so.
 */
public final class FaultSpec {

    /** The kinds of fault. */
    public enum Kind {
        LATENCY("latency"), RECORD_LATENCY("record-latency"), WRITE_LATENCY("write-latency"),
        HIBERNATE("hibernate"), PROXY_502("proxy-502"),
        ERROR("error"), RANDOM_5XX("random-5xx"), MAX_PAGE("max-page"), TRUNCATE("truncate"),
        HIDE_ROWS("hide-rows"), HIDE_FIELDS("hide-fields");

        private final String token;

        Kind(String token) {
            this.token = token;
        }

        /** The name used in the spec language. */
        public String token() {
            return token;
        }

        static Kind of(String token) {
            for (Kind k : values()) {
                if (k.token.equals(token)) {
                    return k;
                }
            }
            if (token.equals("502")) {
                return PROXY_502;
            }
            throw new IllegalArgumentException("Unknown fault kind '" + token + "'");
        }
    }

    private final Kind kind;
    private final Duration duration;
    private final double number;
    private final int times;
    private final double share;
    private final long seed;
    private final String user;
    private final String table;
    private final String path;
    private final String query;
    private final List<String> fields;
    private final Predicate<Map<String, String>> rowPredicate;
    private final String text;

    private FaultSpec(Builder b) {
        this.kind = b.kind;
        this.duration = b.duration;
        this.number = b.number;
        this.times = b.times;
        this.share = b.share;
        this.seed = b.seed;
        this.user = b.user;
        this.table = b.table;
        this.path = b.path;
        this.query = b.query;
        this.fields = List.copyOf(b.fields);
        this.rowPredicate = b.rowPredicate;
        this.text = b.text;
    }

    /**
     * Parses one spec, e.g. {@code latency=50ms}, {@code proxy-502:times=3}, {@code random-5xx=0.1:seed=7}.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code spec}
     */
    public static FaultSpec parse(String spec) {
        String text = Objects.requireNonNull(spec, "spec").trim();
        String head = text;
        String query = null;
        int q = text.indexOf(":query=");
        if (q >= 0) {
            head = text.substring(0, q);
            query = text.substring(q + ":query=".length());
        }
        String[] parts = head.split(":");
        int eq = parts[0].indexOf('=');
        Builder b = new Builder(Kind.of(eq < 0 ? parts[0] : parts[0].substring(0, eq)));
        b.query = query;
        b.text = text;
        b.argument(eq < 0 ? null : parts[0].substring(eq + 1));
        for (int i = 1; i < parts.length; i++) {
            b.option(parts[i]);
        }
        return b.validate();
    }

    static Builder builder(Kind kind) {
        return new Builder(kind);
    }

    public Kind kind() {
        return kind;
    }

    /** The delay of a latency fault. */
    public Duration duration() {
        return duration;
    }

    /** How many requests it fires on, or -1 when it persists. */
    public int times() {
        return times;
    }

    /** The share of requests it fires on, 1 for all. */
    public double share() {
        return share;
    }

    public long seed() {
        return seed;
    }

    /** The HTTP status of an {@code error} fault. */
    public int status() {
        return (int) number;
    }

    /** The probability of a {@code random-5xx} fault. */
    public double probability() {
        return number;
    }

    /** The page-size threshold of a {@code max-page} fault. */
    public int threshold() {
        return (int) number;
    }

    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    public Optional<String> table() {
        return Optional.ofNullable(table);
    }

    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    /** The encoded query selecting rows a {@code hide-rows} fault hides. */
    public Optional<String> query() {
        return Optional.ofNullable(query);
    }

    /** The fields a {@code hide-fields} fault omits. */
    public List<String> fields() {
        return fields;
    }

    Predicate<Map<String, String>> rowPredicate() {
        return rowPredicate;
    }

    boolean appliesToUser(String name) {
        return user == null || user.equals("*") || user.equals(name);
    }

    boolean appliesToTable(String name) {
        return table == null || table.equals(name);
    }

    boolean appliesToPath(String requestPath) {
        return path == null || requestPath.startsWith(path);
    }

    @Override
    public String toString() {
        return text;
    }

    /** Assembles a spec; not thread-safe. */
    static final class Builder {
        private final Kind kind;
        private Duration duration = Duration.ZERO;
        private double number;
        private int times = -1;
        private double share = 1.0;
        private long seed = 1;
        private String user;
        private String table;
        private String path;
        private String query;
        private List<String> fields = new ArrayList<>();
        private Predicate<Map<String, String>> rowPredicate;
        private String text;

        Builder(Kind kind) {
            this.kind = kind;
            this.text = kind.token();
        }

        Builder duration(Duration d) {
            this.duration = d;
            return this;
        }

        Builder number(double n) {
            this.number = n;
            return this;
        }

        Builder times(int n) {
            this.times = n;
            return this;
        }

        Builder share(double s, long seedValue) {
            this.share = s;
            this.seed = seedValue;
            return this;
        }

        Builder seed(long s) {
            this.seed = s;
            return this;
        }

        Builder user(String u) {
            this.user = u;
            return this;
        }

        Builder table(String t) {
            this.table = t;
            return this;
        }

        Builder query(String q) {
            this.query = q;
            return this;
        }

        Builder fields(List<String> f) {
            this.fields = new ArrayList<>(f);
            return this;
        }

        Builder rowPredicate(Predicate<Map<String, String>> p) {
            this.rowPredicate = p;
            return this;
        }

        Builder text(String t) {
            this.text = t;
            return this;
        }

        private void argument(String arg) {
            switch (kind) {
                case LATENCY, RECORD_LATENCY, WRITE_LATENCY -> duration = parseDuration(required(arg));
                case ERROR, MAX_PAGE -> number = parseInt(required(arg));
                case RANDOM_5XX -> number = parseProbability(required(arg));
                case HIDE_FIELDS -> fields = List.of(required(arg).split(","));
                default -> {
                    if (arg != null) {
                        throw new IllegalArgumentException("Fault '" + kind.token() + "' takes no value");
                    }
                }
            }
        }

        private void option(String option) {
            int eq = option.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("Fault option '" + option + "' needs name=value");
            }
            String name = option.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = option.substring(eq + 1);
            switch (name) {
                case "times" -> times = parseInt(value);
                case "share" -> share = parseProbability(value);
                case "seed" -> seed = Long.parseLong(value);
                case "user" -> user = value;
                case "table" -> table = value;
                case "path" -> path = value;
                default -> throw new IllegalArgumentException("Unknown fault option '" + name + "'");
            }
        }

        FaultSpec validate() {
            if (kind == Kind.HIDE_ROWS && query == null && rowPredicate == null) {
                throw new IllegalArgumentException("Fault 'hide-rows' needs a query= option");
            }
            if (kind == Kind.ERROR && (number < 400 || number > 599)) {
                throw new IllegalArgumentException("Fault 'error' needs a status from 400 to 599");
            }
            if (times < -1 || times == 0) {
                throw new IllegalArgumentException("Fault option times must be a positive count");
            }
            return new FaultSpec(this);
        }

        private String required(String arg) {
            if (arg == null || arg.isEmpty()) {
                throw new IllegalArgumentException("Fault '" + kind.token() + "' needs a value, e.g. "
                        + kind.token() + "=...");
            }
            return arg;
        }

        private static int parseInt(String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + value + "' is not a whole number", e);
            }
        }

        private static double parseProbability(String value) {
            double p;
            try {
                p = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + value + "' is not a number", e);
            }
            if (p < 0 || p > 1) {
                throw new IllegalArgumentException("'" + value + "' is not between 0 and 1");
            }
            return p;
        }

        static Duration parseDuration(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                return switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> throw new IllegalArgumentException("bad unit");
                };
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + value + "' is not a duration like 50ms, 2s, 1m", e);
            }
        }
    }
}
