package dev.ecrdigestguard.manifest;

/** Raised deep inside a rewrite and turned into {@link Rewrite.NotRewritable} at the rewriter's boundary. */
final class NotRewritableException extends RuntimeException {

    NotRewritableException(String reason) {
        super(reason, null, false, false);
    }
}
