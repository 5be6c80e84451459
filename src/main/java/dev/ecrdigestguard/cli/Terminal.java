package dev.ecrdigestguard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the command's output goes, decided once when the process starts: progress lines and colour are for a person
 * watching a terminal, never for a file, a pipe or a CI log. Keyed on each stream itself — {@code 2>file} keeps
 * escape codes out of the file, and a redirected stdout doesn't hide progress on a terminal's stderr — and colour
 * also on {@code NO_COLOR} (no-color.org: set to anything non-empty, no colour).
 *
 * @param stdoutIsTerminal standard output is a terminal
 * @param stderrIsTerminal standard error is a terminal
 * @param noColor          {@code NO_COLOR} is set and not empty
 */
record Terminal(boolean stdoutIsTerminal, boolean stderrIsTerminal, boolean noColor) {

    /** Output captured by a caller (tests, embedding): no terminal at all. */
    static final Terminal NONE = new Terminal(false, false, true);

    /** The terminal of this process. */
    static Terminal ofProcess(Map<String, String> environment) {
        String noColor = environment.get("NO_COLOR");
        return new Terminal(isTerminal(1), isTerminal(2), noColor != null && !noColor.isEmpty());
    }

    /** Progress on stderr: only a person at a terminal reads it. */
    boolean showsProgress() {
        return stderrIsTerminal;
    }

    /** Colour on stdout (help) and stderr (errors, progress), each only where it is a terminal. */
    boolean colourOnStdout() {
        return stdoutIsTerminal && !noColor;
    }

    boolean colourOnStderr() {
        return stderrIsTerminal && !noColor;
    }

    /**
     * Whether file descriptor {@code fd} of this process is a terminal. Java 17 can't ask for one stream
     * ({@code System.console()} needs stdin and stdout both), so: on Linux the descriptor's link in /proc names a
     * terminal device; elsewhere a shell's {@code test -t} answers for the descriptor the child inherits.
     */
    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.isSymbolicLink(link)) {
            try {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException e) {
                return false;
            }
        }
        try {
            ProcessBuilder test = new ProcessBuilder("sh", "-c", "test -t " + fd);
            if (fd == 1) {
                test.redirectOutput(ProcessBuilder.Redirect.INHERIT);
            } else {
                test.redirectError(ProcessBuilder.Redirect.INHERIT);
            }
            return test.start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
