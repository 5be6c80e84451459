package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.lifecycle.ImageDecision;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Writes {@code preview}'s output on a second thread: the decisions go over in batches through a small bounded queue
 * while the first thread goes on reading and evaluating. Rendering JSON is about a third of the work, and a machine
 * with two cores would otherwise leave one idle once the compiler is done.
 *
 * <p>What the writer thread throws (an I/O failure, {@code OutOfMemoryError}) is thrown again on the calling thread,
 * by the next {@link #accept} or by {@link #finish}, so the command line reports it as if it had happened there.
 */
final class BackgroundOutput implements Consumer<ImageDecision> {

    private static final int BATCH = 2048;
    private static final ImageDecision[] FINISH = new ImageDecision[0];
    private static final ImageDecision[] ABANDON = new ImageDecision[0];

    private final PreviewOutput output;
    private final BlockingQueue<ImageDecision[]> queue = new ArrayBlockingQueue<>(8);
    private final Thread writer;
    private volatile Throwable failure;
    private boolean ended;
    private ImageDecision[] batch = new ImageDecision[BATCH];
    private int size;

    BackgroundOutput(PreviewOutput output) {
        this.output = output;
        this.writer = new Thread(this::write, "preview-output");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void accept(ImageDecision decision) {
        batch[size++] = decision;
        if (size == BATCH) {
            hand(batch);
            batch = new ImageDecision[BATCH];
            size = 0;
        }
    }

    /** Writes what is left, ends the document and waits for the writer. */
    void finish() {
        end(FINISH);
        rethrowFailure();
    }

    /**
     * Flushes what was written, leaving the document unfinished (bad input half-way through, or a failure), and waits
     * for the writer. Does nothing once the output has ended; a failure of the writer is not thrown from here, so it
     * can't hide the reason the output is abandoned.
     */
    void abandon() {
        end(ABANDON);
    }

    private void end(ImageDecision[] marker) {
        if (ended) {
            return;
        }
        ended = true;
        if (size > 0) {
            put(Arrays.copyOf(batch, size));
        }
        put(marker);
        join();
    }

    private void write() {
        ImageDecision[] next = null;
        try {
            while (true) {
                next = queue.take();
                if (next == FINISH) {
                    output.finish();
                    return;
                }
                if (next == ABANDON) {
                    output.abandon();
                    return;
                }
                for (ImageDecision decision : next) {
                    output.accept(decision);
                }
            }
        } catch (Throwable e) {
            failure = e;
            if (next != FINISH && next != ABANDON) {
                // Keep taking batches, unwritten, so the reading thread never blocks on a full queue; it sees the
                // failure when it hands over the next batch, or when it ends the output.
                drainUntilEnd();
            }
        }
    }

    private void drainUntilEnd() {
        try {
            ImageDecision[] next;
            do {
                next = queue.take();
            } while (next != FINISH && next != ABANDON);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void hand(ImageDecision[] next) {
        rethrowFailure();
        put(next);
    }

    private void put(ImageDecision[] next) {
        try {
            queue.put(next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the preview", e);
        }
    }

    private void join() {
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the preview", e);
        }
    }

    private void rethrowFailure() {
        Throwable e = failure;
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        if (e != null) {
            throw new IllegalStateException("writing the preview failed: " + e, e);
        }
    }
}
