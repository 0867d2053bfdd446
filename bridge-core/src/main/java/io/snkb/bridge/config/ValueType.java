package io.snkb.bridge.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the text of one YAML scalar becomes a typed value, and how a value is shown again (in the rendered
 * effective configuration and in the reference). Every scalar arrives as text: YAML numbers and booleans
 * are read as they were written. Immutable and thread-safe.
 *
 * @param <T> the value's type
 */
final class ValueType<T> {

    /** What a secret looks like wherever it is shown. */
    static final String MASK = "******";

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    static final ValueType<String> STRING = new ValueType<>("string", text -> text, s -> s);
    static final ValueType<Secret> SECRET = new ValueType<>("secret", Secret::of, s -> MASK);
    static final ValueType<Boolean> BOOLEAN = new ValueType<>("boolean", ValueType::parseBoolean, String::valueOf);
    static final ValueType<Integer> INTEGER = new ValueType<>("integer", ValueType::parseInteger, String::valueOf);
    static final ValueType<Duration> DURATION =
            new ValueType<>("duration", ValueType::parseDuration, ValueType::formatDuration);
    static final ValueType<URI> HTTP_URL = new ValueType<>("URL", ValueType::parseHttpUrl, URI::toString);
    static final ValueType<Path> PATH = new ValueType<>("path", ValueType::parsePath, Path::toString);

    private final String docName;
    private final Parser<T> parser;
    private final Function<T, String> printer;
    private final List<String> choices;

    private ValueType(String docName, Parser<T> parser, Function<T, String> printer) {
        this(docName, parser, printer, List.of());
    }

    private ValueType(String docName, Parser<T> parser, Function<T, String> printer, List<String> choices) {
        this.docName = docName;
        this.parser = parser;
        this.printer = printer;
        this.choices = choices;
    }

    /** Turns text into a value, or fails with the reason as message. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String text) throws ValueException;
    }

    /** Enum constants are written in lower kebab case ({@code client-credentials}), matched ignoring case. */
    static <E extends Enum<E>> ValueType<E> enumOf(Class<E> type) {
        E[] constants = type.getEnumConstants();
        List<String> names = Arrays.stream(constants).map(ValueType::kebab).toList();
        String choices = String.join(", ", names);
        Parser<E> parser = text -> {
            String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (E constant : constants) {
                if (kebab(constant).equals(wanted)) {
                    return constant;
                }
            }
            throw new ValueException("must be one of " + choices);
        };
        return new ValueType<>("enum", parser, ValueType::kebab, names);
    }

    String docName() {
        return docName;
    }

    /** The values an enum type accepts, as written in YAML; empty for other types. */
    List<String> choices() {
        return choices;
    }

    T parse(String text) throws ValueException {
        return parser.parse(text);
    }

    @SuppressWarnings("unchecked")
    String print(Object value) {
        return printer.apply((T) value);
    }

    boolean isSecret() {
        return this == SECRET;
    }

    /** The raw text as it may appear in a problem: secrets masked, credentials in URLs hidden. */
    String shown(String text) {
        if (isSecret()) {
            return text.isEmpty() ? "" : MASK;
        }
        return this == HTTP_URL ? text.replaceAll("//[^/@]*@", "//" + MASK + "@") : text;
    }

    static String kebab(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Boolean parseBoolean(String text) throws ValueException {
        String t = text.trim();
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return Boolean.valueOf(t.toLowerCase(Locale.ROOT));
        }
        throw new ValueException("must be true or false");
    }

    private static Integer parseInteger(String text) throws ValueException {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new ValueException("must be a whole number");
        }
    }

    /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}, a bare {@code 0}, or ISO-8601. */
    static Duration parseDuration(String text) throws ValueException {
        String t = text.trim();
        try {
            if (t.equals("0")) {
                return Duration.ZERO;
            }
            if (t.startsWith("P") || t.startsWith("p") || t.startsWith("-P")) {
                return Duration.parse(t);
            }
            Matcher m = SHORT_DURATION.matcher(t);
            if (m.matches()) {
                return ofUnit(Long.parseLong(m.group(1)), m.group(2));
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            // falls through to the one reason below; the JDK's messages do not help a reader of YAML
        }
        throw new ValueException("must be a duration such as 500ms, 10s, 5m, 1h, 2d or ISO-8601 (PT10S)");
    }

    private static Duration ofUnit(long amount, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** The shortest exact form in the units above; ISO-8601 for what they cannot express. */
    static String formatDuration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long millis = d.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis % sizes[i] == 0) {
                return millis / sizes[i] + units[i];
            }
        }
        return millis + "ms";
    }

    private static URI parseHttpUrl(String text) throws ValueException {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new ValueException("must be an http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.isOpaque()) {
            throw new ValueException("must be an http or https URL");
        }
        if (uri.getHost() == null) {
            throw new ValueException("must name a host, e.g. https://acme.service-now.com");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ValueException("must not contain credentials; put them under auth");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ValueException("must not have a query or fragment");
        }
        String path = Objects.requireNonNullElse(uri.getRawPath(), "").replaceAll("/+$", "");
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    private static Path parsePath(String text) throws ValueException {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new ValueException("must be a valid path");
        }
    }
}
