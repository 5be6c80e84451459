package dev.ecrdigestguard.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Case (d) of the cold-start benchmark, the floor: a handler that reads the whole event and answers, so what remains
 * is the JVM, the runtime interface client and the Runtime API round trip. The benchmark packages it alone, the way
 * the guard is packaged, so the ratio to it is the guard's own cost.
 */
public final class FloorHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        int length = input.readAllBytes().length;
        output.write(("{\"outcome\":\"READ\",\"bytes\":" + length + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
