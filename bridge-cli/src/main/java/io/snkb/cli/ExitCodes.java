package io.snkb.cli;

/** The exit codes of {@code snkb}, documented in its help text. */
public final class ExitCodes {
    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The command ran and failed: ServiceNow or Kafka unreachable, a table failed, a demo mismatch. */
    public static final int RUNTIME_FAILURE = 1;
    /** The command line itself was wrong: unknown option, missing argument. */
    public static final int USAGE = 2;
    /** The configuration file is missing, unreadable or invalid. */
    public static final int INVALID_CONFIG = 3;

    private ExitCodes() {
    }
}
