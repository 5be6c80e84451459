package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.aws.ThrottledAttempts;
import dev.ecrdigestguard.ecr.EcrImageCatalog;
import dev.ecrdigestguard.ecr.EcrRepositoryLister;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.guard.RepositoryLister;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.EcrClientBuilder;

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
        ThrottledAttempts throttled = new ThrottledAttempts();
        return new LiveEcr(builder(throttled).build(), throttled);
    }

    /** The audit's client for a given account's credentials and region (an organization-wide audit). */
    static EcrClient client(AwsCredentialsProvider credentials, Region region) {
        return builder(new ThrottledAttempts()).credentialsProvider(credentials).region(region).build();
    }

    /**
     * An audit pages through many repositories back to back; adaptive retries slow down on throttling instead of
     * failing after the standard three attempts, and the requests ECR throttled are counted for the summary.
     */
    private static EcrClientBuilder builder(ThrottledAttempts throttled) {
        return AwsClients.configured(EcrClient.builder())
                .httpClient(AwsClients.http())
                .overrideConfiguration(AwsClients.timeouts().toBuilder().retryStrategy(RetryMode.ADAPTIVE_V2)
                        .addMetricPublisher(throttled).build());
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
