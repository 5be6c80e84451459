package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.aws.AwsFailures;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.guard.RepositoryLister;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.registry.PageGuard;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesResponse;
import software.amazon.awssdk.services.ecr.model.Repository;

/**
 * {@link RepositoryLister} over ECR's {@code DescribeRepositories}, every page: the scheduled sweep, and the command
 * line's {@code audit --all-repositories}.
 */
public final class EcrRepositoryLister implements RepositoryLister {

    /** 1,000 pages of 1,000: ten times ECR's default quota of 100,000 repositories a registry. */
    static final int MAX_PAGES = 1_000;

    private final EcrClient ecr;

    public EcrRepositoryLister(EcrClient ecr) {
        this.ecr = ecr;
    }

    @Override
    public void forEachRepository(Consumer<RepositoryName> consumer) {
        PageGuard pages = new PageGuard(MAX_PAGES, problem -> new CatalogException(
                "ecr:DescribeRepositories on the registry's repositories: " + problem, false, null));
        String token = null;
        try {
            do {
                String next = token;
                DescribeRepositoriesResponse page = ecr.describeRepositories(request -> request.maxResults(1000)
                        .nextToken(next));
                if (page.hasRepositories()) {
                    page.repositories().forEach(repository -> consumer.accept(name(repository)));
                }
                token = page.nextToken();
            } while (pages.hasNext(token));
        } catch (SdkException e) {
            throw new CatalogException(AwsFailures.describe("ecr:DescribeRepositories", "the registry's repositories",
                    e), AwsFailures.retryable(e), e);
        }
    }

    private static RepositoryName name(Repository repository) {
        try {
            return RepositoryName.of(repository == null ? null : repository.repositoryName());
        } catch (IllegalArgumentException e) {
            throw new CatalogException("ecr:DescribeRepositories returned " + e.getMessage(), false, e);
        }
    }
}
