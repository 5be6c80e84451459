package dev.ecrdigestguard.sweep;

import dev.ecrdigestguard.event.SweepRequest;

/**
 * Starts one step of a registry's part of a sweep in an invocation of its own (port): the function invoking itself
 * asynchronously, so Lambda — not a thread pool in one invocation — spreads a sweep over as many invocations as it
 * needs. Failures are {@code ServiceFailure}s.
 */
@FunctionalInterface
public interface SliceInvoker {

    void start(SweepRequest.Slice slice);
}
