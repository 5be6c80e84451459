package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.aws.ThrottledAttempts;
import dev.ecrdigestguard.ecr.EcrImageCatalog;
import dev.ecrdigestguard.ecr.EcrRepositoryLister;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.guard.RepositoryLister;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The audit's live registry: one ECR client, through the default credential and region chains (which
 * {@code --region} and {@code --profile} set), counting the requests ECR throttled.
 */
final class LiveEcr implements AuditCommand.LiveRegistry {

    private final EcrClient ecr;
    private final ThrottledAttempts throttled;

    private LiveEcr(EcrClient ecr, ThrottledAttempts throttled) {
        this.ecr = ecr;
        this.throttled = throttled;
    }

    static AuditCommand.LiveRegistry connect() {
        // An audit pages through many repositories back to back; adaptive retries slow down on throttling instead of
        // failing after the standard three attempts.
        ThrottledAttempts throttled = new ThrottledAttempts();
        return new LiveEcr(AwsClients.configured(EcrClient.builder())
                .httpClient(AwsClients.http())
                .overrideConfiguration(AwsClients.timeouts().toBuilder().retryStrategy(RetryMode.ADAPTIVE_V2)
                        .addMetricPublisher(throttled).build())
                .build(), throttled);
    }

    @Override
    public long throttledRequests() {
        return throttled.count();
    }

    @Override
    public RepositoryLister repositories() {
        return new EcrRepositoryLister(ecr);
    }

    @Override
    public ImageCatalog catalog() {
        return new EcrImageCatalog(ecr);
    }

    @Override
    public void close() {
        ecr.close();
    }
}
