package dev.ecrdigestguard.guard;

/**
 * How the guard's response to one event ended. The constant's name is the reply ({@code {"outcome":"RETAGGED"}}) and the
 * {@code outcome} property of the metrics line; log queries and tests match on it, so a rename breaks them.
 */
public enum GuardOutcome {
    /** Only ever seen in the metrics line: the invocation threw before it had another outcome. */
    FAILED,
    MALFORMED,
    IGNORED,
    NOT_PRODUCTION,
    CLEAN,
    /** MODE=RETAG found nothing left to do on a fresh look (the tag moved on, or already is our rewrite). */
    RETAG_NOT_NEEDED,
    SILENCED,
    ALERTED,
    /** Some channel missed the alert; not retried, because the channels that got it would get it twice. */
    ALERTED_PARTIALLY,
    RETAGGED,
    RETAG_REFUSED,
    /** The push's account refused the guard's credentials: the push was not checked, and an alert says so. */
    ACCOUNT_UNREACHABLE,
    // ---- the post-mortem and the sweep (issue 10)
    /** A production release the guard had found expiring out of turn was deleted: a CRITICAL alert says so. */
    RELEASE_DELETED,
    /** A production tag was deleted that the guard had not found at risk: ordinary rotation or a person's choice. */
    DELETED_IN_TURN,
    /** A sweep invocation judged what it was given (and handed the rest on). */
    SWEPT,
    /** A sweep invocation found its part done or taken by another invocation (a duplicate or late event). */
    SWEEP_NOT_NEEDED
}
