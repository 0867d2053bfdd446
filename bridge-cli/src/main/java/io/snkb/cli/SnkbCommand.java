package io.snkb.cli;

import io.snkb.bridge.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code snkb} command; each capability is a subcommand. */
@Command(name = "snkb",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Keeps ServiceNow tables and Kafka topics in sync.",
        subcommands = {RunCommand.class, BackfillCommand.class, ValidateCommand.class, DemoCommand.class,
            SimulatorCommand.class, DlqCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:runtime failure (ServiceNow, Kafka, a failed table, a demo mismatch)",
            "2:usage error (unknown option, missing argument)",
            "3:invalid or unreadable configuration"})
public final class SnkbCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs {@code snkb} with {@code args} and returns its exit code, without exiting the JVM. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line, with the exit code mapping applied. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SnkbCommand());
        cli.setExitCodeExceptionMapper(SnkbCommand::exitCodeOf);
        cli.setExecutionExceptionHandler(SnkbCommand::report);
        return cli;
    }

    /** Without a subcommand there is nothing to do: that is a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command, e.g. 'snkb demo'");
    }

    private static int exitCodeOf(Throwable failure) {
        if (failure instanceof ConfigException || failure instanceof ConfigFileException) {
            return ExitCodes.INVALID_CONFIG;
        }
        if (failure instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.RUNTIME_FAILURE;
    }

    private static int report(Exception failure, CommandLine cli, CommandLine.ParseResult parsed) {
        String message = failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
        cli.getErr().println(cli.getColorScheme().errorText("snkb " + cli.getCommandName() + ": " + message));
        if (failure instanceof CommandLine.ParameterException) {
            cli.usage(cli.getErr());
        }
        return exitCodeOf(failure);
    }
}
