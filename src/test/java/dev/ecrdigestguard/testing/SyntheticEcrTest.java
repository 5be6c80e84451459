package dev.ecrdigestguard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.ecr.EcrImageCatalog;
import dev.ecrdigestguard.ecr.EcrRepositoryLister;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;

/** The synthetic ECR of the throttling tests and the audit benchmark still answers the real adapters as ECR does. */
class SyntheticEcrTest {

    static final Instant PUSHED = Instant.parse("2025-06-01T12:00:00.250Z");

    private SyntheticEcr ecr;
    private EcrClient client;

    @AfterEach
    void stop() {
        System.clearProperty("aws.endpointUrlEcr");
        if (client != null) {
            client.close();
        }
        ecr.close();
    }

    private void start(SyntheticEcr.Builder builder) {
        ecr = builder.start();
        System.setProperty("aws.endpointUrlEcr", ecr.endpoint());
        client = AwsClients.newEcrClient();
    }

    static List<ImageRecord> images(int count) {
        return IntStream.range(0, count).mapToObj(i -> ImageRecord.of(Digest.of(String.format("sha256:%064x", i)),
                i % 2 == 0 ? List.of(Tag.of("tag-" + i)) : List.of(), PUSHED.plusSeconds(i))).toList();
    }

    @Test
    void pagesRepositoriesAndImages_byMaxResultsAndNextToken_andServesThePolicy() {
        // GIVEN more repositories and images than one page of the adapters holds (1,000)
        List<String> names = IntStream.range(0, 1_200).mapToObj(i -> String.format("team/app-%04d", i)).toList();
        start(SyntheticEcr.builder().repositories(names, name -> images(2_500)).lifecyclePolicy("{\"rules\":[]}"));

        // WHEN
        List<RepositoryName> listed = new ArrayList<>();
        new EcrRepositoryLister(client).forEachRepository(listed::add);
        List<ImageRecord> read = new ArrayList<>();
        EcrImageCatalog catalog = new EcrImageCatalog(client);
        catalog.forEachImage(RepositoryName.of("team/app-0042"), read::add);

        // THEN every repository and every image, with its tags and push time to the millisecond
        assertThat(listed).hasSize(1_200).first().isEqualTo(RepositoryName.of("team/app-0000"));
        assertThat(read).containsExactlyElementsOf(images(2_500));
        assertThat(catalog.lifecyclePolicyText(RepositoryName.of("team/app-0042"))).contains("{\"rules\":[]}");
        assertThat(ecr.calls()).containsEntry("DescribeRepositories", 2).containsEntry("DescribeImages", 3)
                .containsEntry("GetLifecyclePolicy", 1);
    }

    @Test
    void answersThrottlingException_forRepositoriesAlwaysThrottled_andNoPolicyAsNotFound() {
        start(SyntheticEcr.builder().repositories(List.of("hot", "calm"), name -> images(1))
                .alwaysThrottled(Set.of("hot")));
        EcrImageCatalog catalog = new EcrImageCatalog(client);

        CatalogException failure = catchThrowableOfType(CatalogException.class,
                () -> catalog.forEachImage(RepositoryName.of("hot"), image -> { }));

        assertThat(failure.retryable()).isTrue();
        assertThat(failure).hasMessageContaining("ThrottlingException (HTTP 400): Rate exceeded");
        assertThat(ecr.callsAbout("hot")).isEqualTo(ecr.throttled()).isGreaterThan(1);
        assertThat(catalog.lifecyclePolicyText(RepositoryName.of("calm"))).isEmpty();
    }
}
