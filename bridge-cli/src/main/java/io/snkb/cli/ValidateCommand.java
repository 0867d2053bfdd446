package io.snkb.cli;

import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.ConfigException;
import io.snkb.bridge.config.ConfigProblem;
import io.snkb.bridge.config.ConfigRenderer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code snkb validate}: reports every problem of a configuration file, or prints it masked. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks a configuration file and reports every problem at once.",
            "On success prints the effective configuration, secrets masked."})
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BridgeConfig loaded;
        try {
            loaded = config.load();
        } catch (ConfigException e) {
            err.printf("%s: %d problem%s%n", config.file, e.problems().size(), e.problems().size() == 1 ? "" : "s");
            for (ConfigProblem problem : e.problems()) {
                err.println("  - " + problem);
            }
            return ExitCodes.INVALID_CONFIG;
        }
        out.println(config.file + ": valid");
        RunCommand.nothingToRun(loaded).ifPresent(problem -> out.println("warning: 'snkb run' refuses this file. "
                + problem + "; 'snkb backfill' can still use it."));
        out.println();
        out.print(ConfigRenderer.render(loaded));
        out.flush();
        return ExitCodes.OK;
    }
}
