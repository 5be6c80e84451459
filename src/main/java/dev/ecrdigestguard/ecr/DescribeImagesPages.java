package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.registry.PageGuard;
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

    /** Hands each image detail of every page to {@code each}; SDK failures propagate for the caller to translate. */
    static void forEach(EcrClient ecr, DescribeImagesRequest first, PageGuard pages, Consumer<ImageDetail> each) {
        String token = null;
        do {
            DescribeImagesResponse page = ecr.describeImages(first.toBuilder().nextToken(token).build());
            if (page.hasImageDetails()) {
                page.imageDetails().forEach(each);
            }
            token = page.nextToken();
        } while (pages.hasNext(token));
    }
}
