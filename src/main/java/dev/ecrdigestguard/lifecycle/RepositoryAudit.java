package dev.ecrdigestguard.lifecycle;

import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.image.TagPattern;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the lifecycle policy does to every release of one repository, judged by {@link ReleaseSafety}: the one
 * judgement behind the push path, the scheduled sweep and {@code audit}. Besides each release's standing it says
 * whether ECR would accept the policy at all, and how many release times were not recorded.
 *
 * @param standings every production image, newest release first
 * @param judgedAt  the instant judged
 * @param horizon   how far ahead age rules were looked at
 */
public record RepositoryAudit(
        RepositoryName repository,
        PolicyVerdict policy,
        int imageCount,
        List<ReleaseStanding> standings,
        Instant judgedAt,
        Duration horizon) {

    public RepositoryAudit {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(policy);
        standings = List.copyOf(standings);
        Objects.requireNonNull(judgedAt);
        Objects.requireNonNull(horizon);
    }

    /** Whether the policy exists and ECR would accept it. */
    public record PolicyVerdict(Status status, String detail) {
        public enum Status { NONE, VALID, REJECTED }

        public PolicyVerdict {
            Objects.requireNonNull(status);
            Objects.requireNonNull(detail);
        }
    }

    /** Releases the policy takes out of turn, now or within the horizon: what a person must act on. */
    public List<ReleaseStanding> outOfTurn() {
        return withVerdict(ReleaseStanding.Verdict.OUT_OF_TURN);
    }

    /** Releases the policy drops as its rules intend (the oldest releases rotating out). */
    public List<ReleaseStanding> rotation() {
        return withVerdict(ReleaseStanding.Verdict.ROTATION);
    }

    /** Digests holding several production tags: releases ECR counts as one image, as old as its first push. */
    public List<ReleaseStanding> sharedDigests() {
        return standings.stream().filter(standing -> standing.releases().size() > 1).toList();
    }

    /** Releases a count rule ranks behind production images released before them. */
    public List<ReleaseStanding> outranked() {
        return standings.stream().filter(standing -> standing.outrankedBy() > 0).toList();
    }

    /** Production tags whose release time was not recorded, so their digest's push time stood in. */
    public long unrecordedReleases() {
        return standings.stream().flatMap(standing -> standing.releases().stream())
                .filter(release -> !release.recorded()).count();
    }

    /** Whether a release is lost by surprise unless someone acts. */
    public boolean atRisk() {
        return !outOfTurn().isEmpty();
    }

    private List<ReleaseStanding> withVerdict(ReleaseStanding.Verdict verdict) {
        return standings.stream().filter(standing -> standing.verdict() == verdict).toList();
    }

    /**
     * @param productionTags which tags are releases; when empty, the patterns of the policy's tagged count rules (the
     *                       rules that "keep the last N releases") stand in for them
     * @param recorded       release times known for tags on the digests they hold now (see {@link ReleaseSafety})
     */
    public static RepositoryAudit of(RepositoryName repository, Optional<String> policyText, List<ImageRecord> images,
            Optional<ProductionTags> productionTags, Map<Tag, Release> recorded, Instant now, Duration horizon) {
        PolicyVerdict verdict;
        if (policyText.isEmpty()) {
            verdict = new PolicyVerdict(PolicyVerdict.Status.NONE, "no lifecycle policy: ECR expires nothing");
        } else {
            try {
                LifecyclePolicy parsed = LifecyclePolicyParser.parse(policyText.get());
                return of(repository, parsed, images, productionTags, recorded, now, horizon);
            } catch (LifecyclePolicyException e) {
                verdict = new PolicyVerdict(PolicyVerdict.Status.REJECTED, e.getMessage());
            }
        }
        return judge(repository, verdict, Optional.empty(), images, productionTags, recorded, now, horizon);
    }

    /** The judgement under a policy already read and accepted (the push path checks it before listing images). */
    public static RepositoryAudit of(RepositoryName repository, LifecyclePolicy policy, List<ImageRecord> images,
            Optional<ProductionTags> productionTags, Map<Tag, Release> recorded, Instant now, Duration horizon) {
        PolicyVerdict verdict = new PolicyVerdict(PolicyVerdict.Status.VALID, policy.rules().size() + " rule"
                + (policy.rules().size() == 1 ? "" : "s"));
        return judge(repository, verdict, Optional.of(policy), images, productionTags, recorded, now, horizon);
    }

    private static RepositoryAudit judge(RepositoryName repository, PolicyVerdict verdict,
            Optional<LifecyclePolicy> policy, List<ImageRecord> images, Optional<ProductionTags> productionTags,
            Map<Tag, Release> recorded, Instant now, Duration horizon) {
        Optional<ProductionTags> releases = productionTags.or(() -> policy.flatMap(RepositoryAudit::countRulePatterns));
        if (releases.isEmpty()) {
            return new RepositoryAudit(repository, verdict, images.size(), List.of(), now, horizon);
        }
        // Without a policy ECR expires nothing; an empty "keep everything" policy gives every release KEPT.
        LifecyclePolicy judged = policy.orElse(KEEP_EVERYTHING);
        return new RepositoryAudit(repository, verdict, images.size(),
                ReleaseSafety.assess(judged, images, releases.get(), recorded, now, horizon), now, horizon);
    }

    /**
     * What a repository without a policy (or with one ECR would reject, which it never applies) does: keep every
     * image. One rule selecting all of them and keeping more than there can be.
     */
    private static final LifecyclePolicy KEEP_EVERYTHING = LifecyclePolicy.of(LifecycleRule.expire(1, null,
            TagStatus.ANY, Optional.empty(), CountType.IMAGE_COUNT_MORE_THAN, Integer.MAX_VALUE));

    private static Optional<ProductionTags> countRulePatterns(LifecyclePolicy policy) {
        List<TagPattern> patterns = policy.rules().stream()
                .filter(rule -> rule.isCountRule() && rule.tagFilter().isPresent())
                .flatMap(rule -> rule.tagFilter().get().patterns().stream())
                .distinct()
                .toList();
        return patterns.isEmpty() ? Optional.empty() : Optional.of(new ProductionTags(patterns));
    }
}
