package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.guard.RepositoryScan;
import dev.ecrdigestguard.guard.ScanSummary;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.testing.SyntheticEcr;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The audit's ECR client (SDK adaptive retry mode, {@link LiveEcr}) and adapters under throttling, through the real
 * SDK against a local ECR API that throttles as ECR does ({@code ThrottlingException}, HTTP 400), read by
 * {@link RepositoryScan} as {@code audit --all-repositories} reads them.
 */
@Timeout(120)
class LiveEcrThrottlingTest {

    static final List<String> REPOSITORIES = IntStream.range(0, 40).mapToObj(i -> String.format("team/app-%02d", i))
            .toList();

    private SyntheticEcr ecr;

    @AfterEach
    void stop() {
        System.clearProperty("aws.endpointUrlEcr");
        if (ecr != null) {
            ecr.close();
        }
    }

    static List<ImageRecord> threeImages(String repository) {
        return IntStream.range(0, 3).mapToObj(i -> ImageRecord.of(
                Digest.of(String.format("sha256:%064x", repository.hashCode() * 10L + i & Long.MAX_VALUE)),
                List.of(Tag.of("tag-" + i)), Instant.parse("2025-06-01T00:00:00Z").plusSeconds(i))).toList();
    }

    private ScanSummary scanAll(RepositoryScan.Settings settings) {
        System.setProperty("aws.endpointUrlEcr", ecr.endpoint());
        try (AuditCommand.LiveRegistry registry = LiveEcr.connect()) {
            return new RepositoryScan(registry.catalog(), settings, Clock.systemUTC())
                    .scan(registry.repositories(), contents -> contents.images().size(), outcome -> { });
        }
    }

    @Test
    void everyRepositoryIsRead_whenEcrThrottlesABurstOfCalls() {
        // GIVEN an account so busy that ECR throttles the first 16 calls about repositories, read 8 at a time
        ecr = SyntheticEcr.builder().repositories(REPOSITORIES, LiveEcrThrottlingTest::threeImages)
                .throttleFirst(16).start();

        // WHEN
        ScanSummary summary = scanAll(RepositoryScan.Settings.of(8));

        // THEN every repository was read and none was reported failed
        assertThat(ecr.throttled()).as("throttled answers").isEqualTo(16);
        assertThat(summary.read()).isEqualTo(40);
        assertThat(summary.failed()).isEmpty();
        assertThat(summary.complete()).isTrue();
        // The calls that got through are exactly the audit's: one listing, then one page and one policy each
        assertThat(ecr.totalCalls() - ecr.throttled()).isEqualTo(1 + 2 * 40);
    }

    @Test
    void aRepositoryThrottledOnEveryCall_isReportedWithTheReason_afterTheSdksAndTheScansRetries_andTheOthersAreRead() {
        // GIVEN one repository ECR throttles every time
        ecr = SyntheticEcr.builder().repositories(REPOSITORIES.subList(0, 6), LiveEcrThrottlingTest::threeImages)
                .alwaysThrottled(Set.of("team/app-03")).start();

        // WHEN (the scan's own retry delay shortened; the SDK's backoff is the client's as shipped)
        ScanSummary summary = scanAll(RepositoryScan.Settings.of(4).retrying(3, Duration.ofMillis(10)));

        // THEN it was tried 3 times by the scan, each time 3 times by the SDK, and reported as retryable with ECR's answer
        assertThat(ecr.callsAbout("team/app-03")).isEqualTo(3 * 3);
        assertThat(summary.failed()).singleElement().satisfies(failure -> {
            assertThat(failure.repository().value()).isEqualTo("team/app-03");
            assertThat(failure.reason()).isEqualTo("ecr:DescribeImages on repository 'team/app-03' failed: "
                    + "ThrottlingException (HTTP 400): Rate exceeded");
            assertThat(failure.retryable()).isTrue();
            assertThat(failure.attempts()).isEqualTo(3);
        });
        assertThat(summary.read()).isEqualTo(5);
        assertThat(summary.lowestConcurrency()).isLessThan(4);
    }
}
