package dev.ecrdigestguard.testing;

import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.finding.LifecycleOutrankedFinding;
import dev.ecrdigestguard.finding.SharedDigestFinding;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Reports as the guard produces them, for tests of the channels that render them. */
public final class Reports {

    public static final Digest DIGEST =
            Digest.of("sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c");
    public static final Instant PUSHED = Instant.parse("2022-12-22T09:41:12Z");

    private Reports() {
    }

    public static PushEvent push(String eventId, String repository, String tag) {
        return new PushEvent(eventId, PUSHED, "123456789012", "eu-west-1", RepositoryName.of(repository), DIGEST,
                Tag.of(tag), Optional.empty(), Optional.empty());
    }

    public static SharedDigestFinding sharedDigest(PushEvent event, List<String> others) {
        return new SharedDigestFinding(event.repository(), event.tag(), event.digest(),
                others.stream().map(Tag::of).toList(), others.size() + 1, PUSHED.minusSeconds(86_400 * 30), PUSHED);
    }

    /** tag-1-253-0 in shop-api on the digest of tag-1-252-0: the case the guard exists for. */
    public static GuardReport collision() {
        PushEvent event = push("0a6b2c3d-4e5f-4071-8a9b-0c1d2e3f4a5b", "shop-api", "tag-1-253-0");
        return new GuardReport(event, List.of(sharedDigest(event, List.of("tag-1-252-0"))), "1 finding");
    }

    /**
     * The write-up's scenario as the guard reports it (check --event events/push-collision.json --snapshot
     * events/snapshot-expiring): tag-1-253-0 on tag-1-252-0's digest, ranked 6th under "keep the last 5 production
     * images" — expiring, shared and outranked, with {@code ruleDescription} as the rule's description.
     */
    public static GuardReport writeUp(String ruleDescription) {
        PushEvent event = push("0a6b2c3d-4e5f-4071-8a9b-0c1d2e3f4a5b", "shop-api", "tag-1-253-0");
        Instant firstPushed = Instant.parse("2022-12-15T09:57:20Z");
        Optional<String> rule = Optional.of(ruleDescription);
        List<Finding> findings = List.of(
                new SharedDigestFinding(event.repository(), event.tag(), DIGEST, List.of(Tag.of("tag-1-252-0")), 11,
                        firstPushed, PUSHED),
                new LifecycleExpiryFinding(event.repository(), event.tag(),
                        List.of(event.tag(), Tag.of("tag-1-252-0")), DIGEST, LifecycleExpiryFinding.Outcome.EXPIRE, 1,
                        rule, "imageCountMoreThan", 5, OptionalInt.of(6), firstPushed, PUSHED, "PUSH_EVENT", PUSHED,
                        true),
                new LifecycleOutrankedFinding(event.repository(), event.tag(), DIGEST, 1, rule, 5, 6, 5, 6,
                        firstPushed));
        return new GuardReport(event, findings, "production tag tag-1-253-0: 3 finding(s)");
    }

    public static GuardReport writeUp() {
        return writeUp("Keep last 5 production images");
    }

    public static GuardReport withFindings(GuardReport base, int count) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            findings.add(sharedDigest(base.event(), List.of("tag-0-" + i + "-0")));
        }
        return new GuardReport(base.event(), findings, count + " findings");
    }
}
