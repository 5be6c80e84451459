package dev.ecrdigestguard.guard;

/** Reading the image catalog failed; {@link #retryable()} says whether a later attempt can succeed. */
public class CatalogException extends RuntimeException {

    private final boolean retryable;

    public CatalogException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
