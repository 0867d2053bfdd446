package io.snkb.cli;

/** The configuration file named on the command line cannot be read. */
final class ConfigFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConfigFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
