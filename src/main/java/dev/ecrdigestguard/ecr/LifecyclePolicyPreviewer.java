package dev.ecrdigestguard.ecr;

import dev.ecrdigestguard.aws.AwsFailures;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.GetLifecyclePolicyPreviewResponse;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewResult;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyPreviewStatus;

/**
 * ECR's own lifecycle policy preview of a repository: {@code StartLifecyclePolicyPreview} with a policy text, then
 * {@code GetLifecyclePolicyPreview} polled until ECR has finished (or the time given is up), then every page of its
 * results. ECR lists only the images the policy acts on, each with its action and the rule that applied.
 *
 * <p>Only the command line calls this, with the credentials of the person running it ({@code preview --against-ecr});
 * the function's role is not granted these operations.
 */
public final class LifecyclePolicyPreviewer {

    /** One image ECR's preview acts on. */
    public record Result(Digest digest, List<String> tags, Action action, OptionalInt rulePriority) {
        public Result {
            Objects.requireNonNull(digest, "digest");
            tags = List.copyOf(tags);
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(rulePriority, "rulePriority");
        }
    }

    /** What ECR's preview does to an image; {@code OTHER} for an action this SDK doesn't know yet. */
    public enum Action { EXPIRE, TRANSITION, OTHER }

    /** Waits between polls; tests pass one that advances a clock instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** A page cap far above any real repository (100 results a page): a server that never ends is stopped. */
    private static final int MAX_PAGES = 100_000;

    private final EcrClient ecr;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration pollInterval;

    public LifecyclePolicyPreviewer(EcrClient ecr, Clock clock, Sleeper sleeper, Duration pollInterval) {
        this.ecr = ecr;
        this.clock = clock;
        this.sleeper = sleeper;
        this.pollInterval = pollInterval;
    }

    /** With the system clock, real sleeps and ECR's own pace (a preview takes seconds to minutes). */
    public static LifecyclePolicyPreviewer create(EcrClient ecr) {
        return new LifecyclePolicyPreviewer(ecr, Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis()),
                Duration.ofSeconds(2));
    }

    /**
     * Runs ECR's preview of {@code policyText} on {@code repository} and returns what it acts on.
     *
     * @throws CatalogException when a call fails, ECR's preview fails or expires, or it isn't done within
     *                          {@code timeout}
     */
    public List<Result> preview(RepositoryName repository, String policyText, Duration timeout) {
        String target = "repository '" + repository + "'";
        try {
            ecr.startLifecyclePolicyPreview(request -> request.repositoryName(repository.value())
                    .lifecyclePolicyText(policyText));
        } catch (SdkException e) {
            throw new CatalogException(AwsFailures.describe("ecr:StartLifecyclePolicyPreview", target, e),
                    AwsFailures.retryable(e), e);
        }
        Instant deadline = clock.instant().plus(timeout);
        GetLifecyclePolicyPreviewResponse page = page(repository, null, target);
        while (page.status() == LifecyclePolicyPreviewStatus.IN_PROGRESS) {
            if (!clock.instant().plus(pollInterval).isBefore(deadline)) {
                throw new CatalogException("ECR's lifecycle policy preview of " + repository + " was not done within "
                        + timeout.toSeconds() + " s; run again with a longer --timeout", true, null);
            }
            sleep();
            page = page(repository, null, target);
        }
        if (page.status() != LifecyclePolicyPreviewStatus.COMPLETE) {
            throw new CatalogException("ECR's lifecycle policy preview of " + repository + " ended "
                    + page.statusAsString() + "; run it again", page.status() == LifecyclePolicyPreviewStatus.EXPIRED,
                    null);
        }
        List<Result> results = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        for (int pages = 1; ; pages++) {
            page.previewResults().forEach(result -> results.add(result(result)));
            String next = page.nextToken();
            if (next == null || next.isEmpty()) {
                return results;
            }
            if (!tokens.add(next) || pages >= MAX_PAGES) {
                throw new CatalogException("ecr:GetLifecyclePolicyPreview on " + target + " kept answering with more"
                        + " pages (" + pages + " read, a token repeated or past the cap); stopped", false, null);
            }
            page = page(repository, next, target);
        }
    }

    private GetLifecyclePolicyPreviewResponse page(RepositoryName repository, String token, String target) {
        try {
            return ecr.getLifecyclePolicyPreview(request -> request.repositoryName(repository.value())
                    .maxResults(100).nextToken(token));
        } catch (SdkException e) {
            throw new CatalogException(AwsFailures.describe("ecr:GetLifecyclePolicyPreview", target, e),
                    AwsFailures.retryable(e), e);
        }
    }

    private void sleep() {
        try {
            sleeper.sleep(pollInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException("interrupted while waiting for ECR's lifecycle policy preview", true, e);
        }
    }

    private static Result result(LifecyclePolicyPreviewResult result) {
        Action action = result.action() == null ? Action.OTHER : switch (result.action().typeAsString()) {
            case "EXPIRE" -> Action.EXPIRE;
            case "TRANSITION" -> Action.TRANSITION;
            default -> Action.OTHER;
        };
        return new Result(Digest.of(result.imageDigest()), result.imageTags(), action,
                result.appliedRulePriority() == null ? OptionalInt.empty()
                        : OptionalInt.of(result.appliedRulePriority()));
    }
}
