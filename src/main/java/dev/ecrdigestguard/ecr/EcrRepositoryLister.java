package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.aws.AwsFailures;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.guard.RepositoryLister;
import dev.ecrdigestguard.image.RepositoryName;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * {@link RepositoryLister} over ECR's {@code DescribeRepositories}, every page: the scheduled sweep, and the command
 * line's {@code audit --all-repositories}.
 */
public final class EcrRepositoryLister implements RepositoryLister {

    private final EcrClient ecr;

    public EcrRepositoryLister(EcrClient ecr) {
        this.ecr = ecr;
    }

    @Override
    public void forEachRepository(Consumer<RepositoryName> consumer) {
        try {
            ecr.describeRepositoriesPaginator(request -> request.maxResults(1000)).repositories()
                    .forEach(repository -> consumer.accept(RepositoryName.of(repository.repositoryName())));
        } catch (SdkException e) {
            throw new CatalogException(AwsFailures.describe("ecr:DescribeRepositories", "the registry's repositories",
                    e), AwsFailures.retryable(e), e);
        }
    }
}
