package io.snkb.cli;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Shows a changing status line: rewritten in place on a terminal, printed as plain lines at most every
 * few seconds otherwise (for logs and CI). Not thread-safe; one thread drives it.
 */
final class Progress {
    private static final Duration PLAIN_EVERY = Duration.ofSeconds(2);

    private final PrintWriter out;
    private final boolean terminal;
    private long lastPlainNanos;
    private String last = "";

    private Progress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    static Progress forTerminal(PrintWriter out) {
        return new Progress(out, System.console() != null);
    }

    void show(String line) {
        if (terminal) {
            String padding = " ".repeat(Math.max(0, last.length() - line.length()));
            out.print("\r" + line + padding);
            out.flush();
        } else if (System.nanoTime() - lastPlainNanos >= PLAIN_EVERY.toNanos() && !line.equals(last)) {
            out.println(line);
            out.flush();
            lastPlainNanos = System.nanoTime();
        }
        last = line;
    }

    /** Ends the status line, printing the last state once more when it was not shown yet. */
    void done() {
        if (terminal) {
            out.println();
        } else {
            out.println(last);
        }
        out.flush();
    }
}
