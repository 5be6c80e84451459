package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.failure.ServiceFailure;

/** Reading a repository's images, policy or list of repositories failed ({@link ImageCatalog}, {@link RepositoryLister}). */
public class CatalogException extends ServiceFailure {

    public CatalogException(String message, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
    }
}
