package dev.ecrdigestguard.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * The command line's standard output: the writer picocli hands to commands, with the byte stream under it for a
 * command that writes a lot of JSON. {@code preview --format json} on a million images writes 300 MB; jackson writing
 * UTF-8 bytes into a 64 KB buffer skips the character encoder and makes one system call where the writer over
 * {@code System.out} makes eight (about 0.5 s of CPU, measured in docs/performance.md).
 */
final class StandardOutput extends PrintWriter {

    private final PrintStream bytes;

    StandardOutput(PrintStream out) {
        super(out, true);
        this.bytes = out;
    }

    /** The bytes under this writer, after what was written through it. */
    OutputStream bytes() {
        flush();
        return bytes;
    }
}
