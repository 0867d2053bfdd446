package io.snkb.bridge.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads the bridge's YAML configuration into a validated {@link BridgeConfig}.
 *
 * <p>Before a scalar is bound, {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${file:path}} in it are
 * replaced; relative file paths are resolved against the configuration file's directory (the working
 * directory for {@link #parse}). Every problem is collected, and a {@link ConfigException} lists all of
 * them. Values of secret keys become {@link Secret} and never appear in problems.
 *
 * <p>Stateless and thread-safe, provided the environment lookup is.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** Loads {@code file}, taking environment variables from the process environment. */
    public static BridgeConfig load(Path file) {
        return load(file, System::getenv);
    }

    /**
     * Loads {@code file}.
     *
     * @param environment returns an environment variable's value, or {@code null} when it is not set
     * @throws ConfigException when the file cannot be read or has any problem
     */
    public static BridgeConfig load(Path file, Function<String, String> environment) {
        String name = file.toString();
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw unreadable(name, "the file does not exist");
        } catch (CharacterCodingException e) {
            throw unreadable(name, "the file is not UTF-8 text");
        } catch (IOException e) {
            throw unreadable(name, "the file cannot be read: " + e.getMessage());
        }
        Path directory = file.toAbsolutePath().getParent();
        return parse(yaml, name, new Substitution(environment, directory));
    }

    /** Parses YAML text, taking environment variables from the process environment. */
    public static BridgeConfig parse(String yaml, String sourceName) {
        return parse(yaml, sourceName, System::getenv);
    }

    /**
     * Parses YAML text.
     *
     * @param sourceName  how problems name the text, e.g. a file name
     * @param environment returns an environment variable's value, or {@code null} when it is not set
     * @throws ConfigException when the text has any problem
     */
    public static BridgeConfig parse(String yaml, String sourceName, Function<String, String> environment) {
        return parse(yaml, sourceName, new Substitution(environment, Path.of("").toAbsolutePath()));
    }

    private static BridgeConfig parse(String yaml, String sourceName, Substitution substitution) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(sourceName, "sourceName");
        List<ConfigProblem> problems = new ArrayList<>();
        JsonNode tree = YamlTree.read(yaml, problems);
        if (tree == null) {
            throw new ConfigException(sourceName, problems);
        }
        Bound root = new ConfigBinder(substitution, problems).bind(tree);
        ConfigAssembler.deriveTopics(root, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(sourceName, problems);
        }
        return ConfigAssembler.assemble(root);
    }

    private static ConfigException unreadable(String name, String reason) {
        return new ConfigException(name, List.of(ConfigProblem.unreadable(name, reason)));
    }
}
