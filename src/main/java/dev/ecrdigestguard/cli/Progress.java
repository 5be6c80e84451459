package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.image.RepositoryName;
import java.io.PrintWriter;

/**
 * A long command's progress on stderr: one line that rewrites itself, only when stderr is a terminal
 * ({@link Terminal#showsProgress()}) — a file, a pipe or a CI log never gets the escape codes. Throttling is shown
 * on the line as it happens; whether or not there is a terminal, the command says at the end that it was throttled
 * ({@link #throttlingNote}), since a slowed-down run otherwise looks like a hung one.
 */
final class Progress {

    private static final String CLEAR_LINE = "\r\u001b[K";

    private final PrintWriter err;
    private final boolean enabled;
    private final String command;
    private final int total;
    private int current;
    private long images;
    private long throttled;
    private RepositoryName repository;

    Progress(PrintWriter err, boolean enabled, String command, int total) {
        this.err = err;
        this.enabled = enabled;
        this.command = command;
        this.total = total;
    }

    /** Starts on the next repository. */
    void repository(RepositoryName name) {
        current++;
        repository = name;
        draw();
    }

    /** One more image read; the line is redrawn every thousand. */
    void image() {
        images++;
        if (images % 1000 == 0) {
            draw();
        }
    }

    /** The number of throttled requests so far; shown when it grows. */
    void throttled(long count) {
        if (count > throttled) {
            throttled = count;
            draw();
        }
    }

    void done() {
        if (enabled) {
            err.print(CLEAR_LINE);
            err.flush();
        }
    }

    /** The line to print when the run was throttled, whatever the terminal; empty when it wasn't. */
    static String throttlingNote(String command, long throttled, String service) {
        if (throttled == 0) {
            return "";
        }
        return command + ": " + service + " throttled " + throttled + (throttled == 1 ? " request" : " requests")
                + "; the run slowed down and retried them, so it took longer but nothing was skipped";
    }

    private void draw() {
        if (!enabled) {
            return;
        }
        StringBuilder line = new StringBuilder(CLEAR_LINE).append(command).append(' ').append(current).append('/')
                .append(total);
        if (repository != null) {
            line.append(' ').append(repository);
        }
        if (images > 0) {
            line.append(": ").append(images).append(" images read");
        }
        if (throttled > 0) {
            line.append(" (throttled ").append(throttled).append("×, slowing down)");
        }
        err.print(line);
        err.flush();
    }
}
