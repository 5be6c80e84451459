package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.guard.DeadlinePassedException;
import dev.ecrdigestguard.registry.PageGuard;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;

/**
 * Every page of one {@code DescribeImages} listing, followed by hand rather than with the SDK's paginator so that a
 * {@link PageGuard} sees each next token: the paginator would follow a token that repeats for ever.
 */
final class DescribeImagesPages {

    /** 1,000 pages of 1,000 images: ten times ECR's default quota of 100,000 images a repository. */
    static final int MAX_PAGES = 1_000;
    static final int PAGE_SIZE = 1_000;

    private DescribeImagesPages() {
    }

    /** The client's own bound on a call (AwsClients.timeouts); a page is held to the time left when that is shorter. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** Hands each image detail of every page to {@code each}; SDK failures propagate for the caller to translate. */
    static void forEach(EcrClient ecr, DescribeImagesRequest first, PageGuard pages, Consumer<ImageDetail> each) {
        forEach(ecr, first, pages, Instant.MAX, each);
    }

    /**
     * The same, stopping with {@link DeadlinePassedException} once {@code deadline} passes; each page is held to the
     * time left, so no request outlasts it.
     */
    static void forEach(EcrClient ecr, DescribeImagesRequest first, PageGuard pages, Instant deadline,
                        Consumer<ImageDetail> each) {
        String token = null;
        do {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new DeadlinePassedException("listing the images of " + first.repositoryName(), deadline);
            }
            DescribeImagesRequest.Builder request = first.toBuilder().nextToken(token);
            if (left.compareTo(CALL_TIMEOUT) < 0) {
                request.overrideConfiguration(call -> call.apiCallTimeout(left));
            }
            DescribeImagesResponse page = ecr.describeImages(request.build());
            if (page.hasImageDetails()) {
                page.imageDetails().forEach(each);
            }
            token = page.nextToken();
        } while (pages.hasNext(token));
    }
}
