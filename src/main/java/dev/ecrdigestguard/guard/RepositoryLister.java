package dev.ecrdigestguard.guard;

import dev.ecrdigestguard.image.RepositoryName;
import java.util.function.Consumer;

/**
 * The repositories of a registry, for audits that cover all of them ({@code aws.EcrRepositoryLister} pages through
 * ECR's {@code DescribeRepositories}). Implementations throw {@link CatalogException} on failures, flagged retryable
 * when trying again can help.
 */
public interface RepositoryLister {

    /** Hands out every repository name, page by page. */
    void forEachRepository(Consumer<RepositoryName> consumer);
}
