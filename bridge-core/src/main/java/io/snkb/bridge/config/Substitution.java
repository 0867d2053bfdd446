package io.snkb.bridge.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${file:path}} in one scalar. Only these exact
 * forms are references: any other {@code $} stays as written, so passwords such as {@code pa$$word} or
 * {@code $5abc} survive. {@code $${...}} is the escape for a literal {@code ${...}}. Substituted text is
 * not scanned again, so a secret that itself contains {@code ${X}} is kept verbatim. Thread-safe if the
 * environment lookup is.
 */
final class Substitution {

    private static final Pattern REFERENCE =
            Pattern.compile("\\$(\\$?)\\{(?:file:([^}]+)|([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?)}");

    private final Function<String, String> environment;
    private final Path baseDirectory;

    /**
     * @param environment   looks up environment variables; returns {@code null} for an unset one
     * @param baseDirectory what relative {@code ${file:...}} paths are resolved against
     */
    Substitution(Function<String, String> environment, Path baseDirectory) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
    }

    /** The substituted text and, if some references could not be resolved, why; never throws. */
    record Result(String value, List<String> errors) {
    }

    Result apply(String text) {
        if (text.indexOf('$') < 0) {
            return new Result(text, List.of());
        }
        List<String> errors = new ArrayList<>();
        StringBuilder out = new StringBuilder(text.length());
        Matcher m = REFERENCE.matcher(text);
        int last = 0;
        while (m.find()) {
            out.append(text, last, m.start());
            if (!m.group(1).isEmpty()) {
                out.append(text, m.start() + 1, m.end());
            } else if (m.group(2) != null) {
                out.append(readFile(m.group(2), errors));
            } else {
                out.append(lookup(m.group(3), m.group(4), errors));
            }
            last = m.end();
        }
        out.append(text, last, text.length());
        return new Result(out.toString(), List.copyOf(errors));
    }

    // Like the shell's ${VAR:-default}: an empty variable also takes the default.
    private String lookup(String name, String fallback, List<String> errors) {
        String value = environment.apply(name);
        if (value != null && (!value.isEmpty() || fallback == null)) {
            return value;
        }
        if (fallback != null) {
            return fallback;
        }
        errors.add("environment variable " + name + " is not set");
        return "";
    }

    private String readFile(String name, List<String> errors) {
        try {
            Path file = baseDirectory.resolve(name);
            return stripOneNewline(Files.readString(file, StandardCharsets.UTF_8));
        } catch (InvalidPathException e) {
            errors.add("'" + name + "' in ${file:...} is not a valid path");
        } catch (NoSuchFileException e) {
            errors.add("file " + name + " in ${file:...} does not exist");
        } catch (CharacterCodingException e) {
            errors.add("file " + name + " in ${file:...} is not UTF-8 text");
        } catch (IOException e) {
            errors.add("file " + name + " in ${file:...} cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return "";
    }

    // Files written by editors and `echo` end with a newline that is not part of the secret.
    private static String stripOneNewline(String content) {
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    }
}
