package io.snkb.cli;

import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by the commands that read a configuration. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration file.")
    Path file;

    /** Loads and validates the file; throws ConfigException listing every problem. */
    BridgeConfig load() {
        if (Files.isDirectory(file)) {
            throw new ConfigFileException("Configuration file is a directory: " + file.toAbsolutePath(), null);
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigFileException("Configuration file not found: " + file.toAbsolutePath(), null);
        }
        if (!Files.isReadable(file)) {
            throw new ConfigFileException("Configuration file is not readable: " + file.toAbsolutePath(), null);
        }
        return ConfigLoader.load(file);
    }
}
