package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.aws.AwsFailures;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.registry.RegistryException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK failures into the port's {@link RegistryException}, classified as every other AWS adapter does. */
final class EcrFailures {

    private EcrFailures() {
    }

    static RegistryException failure(String action, RepositoryName repository, String what, SdkException e) {
        return new RegistryException(AwsFailures.describe(action, target(repository, what), e),
                AwsFailures.retryable(e), e);
    }

    /** For failures whose meaning we know better than the generic classification (e.g. a rejected manifest). */
    static RegistryException failure(String action, RepositoryName repository, String what, SdkException e,
                                     boolean retryable) {
        return new RegistryException(AwsFailures.describe(action, target(repository, what), e), retryable, e);
    }

    /** An answer no registry would give (a tag or digest that can't exist): the same answer would come again. */
    static RegistryException invalidAnswer(String action, RepositoryName repository, String what,
                                           IllegalArgumentException e) {
        return new RegistryException(action + " on " + target(repository, what) + " returned " + e.getMessage(),
                false, e);
    }

    static String target(RepositoryName repository, String what) {
        return what.isEmpty() ? "repository '" + repository + "'" : what + " in repository '" + repository + "'";
    }
}
