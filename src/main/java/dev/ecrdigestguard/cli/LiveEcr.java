package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.aws.ThrottledAttempts;
import dev.ecrdigestguard.ecr.EcrImageCatalog;
import dev.ecrdigestguard.ecr.EcrRepositoryLister;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.guard.RepositoryLister;
import dev.ecrdigestguard.guard.RepositoryScan;
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
     * An audit pages through many repositories, several at a time; the requests ECR throttled are counted for the
     * summary.
     */
    private static EcrClientBuilder builder(ThrottledAttempts throttled) {
        // The JDK keeps at most 5 idle connections per host (http.maxConnections, read once, at the first connection):
        // with more reads at a time, the others are closed after each call and opened again, a TLS handshake each
        // (16 threads, 800 calls: 59 connections instead of 16; docs/performance.md).
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(RepositoryScan.Settings.MAX_CONCURRENCY));
        }
        // Standard retries (3 attempts, exponential backoff with jitter, 1 s base on throttling), not the adaptive
        // mode: its client-side rate limiter, cut by throttling before it has measured a rate, grows back slowly;
        // audits ran 1.7 times slower than in the standard mode under a steady rate limit, 10 times after a burst
        // (docs/performance.md). RepositoryScan slows down and retries repositories itself when throttling outlasts
        // these retries.
        return AwsClients.configured(EcrClient.builder())
                .httpClient(AwsClients.http())
                .overrideConfiguration(AwsClients.timeouts().toBuilder().retryStrategy(RetryMode.STANDARD)
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
