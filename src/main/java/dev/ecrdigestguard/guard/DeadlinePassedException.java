package dev.ecrdigestguard.guard;

import java.time.Instant;

/**
 * Reading stopped because the invocation's deadline for it passed. Not a failure of the service: the guard sends what
 * it already knows (a shared digest is known after the first call) and says what it could not judge.
 */
public final class DeadlinePassedException extends RuntimeException {

    public DeadlinePassedException(String what, Instant deadline) {
        super(what + " did not finish before " + deadline, null, false, false);
    }
}
