package dev.ecrdigestguard.testing;

import dev.ecrdigestguard.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Points {@link Log} at a buffer for one test, at the function's default level (INFO: a command-line test may have
 * raised it); {@link #close()} puts standard output back.
 */
public final class CapturedLog implements AutoCloseable {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    public CapturedLog() {
        Log.setOutput(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        Log.setLevel(Log.Level.INFO);
    }

    public String text() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    public List<String> lines() {
        return Arrays.stream(text().split("\n")).filter(line -> !line.isBlank()).toList();
    }

    @Override
    public void close() {
        Log.setOutput(System.out);
        Log.clearContext();
    }
}
