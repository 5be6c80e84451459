package dev.ecrdigestguard.testing;

import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.SharedDigestFinding;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    public static GuardReport withFindings(GuardReport base, int count) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            findings.add(sharedDigest(base.event(), List.of("tag-0-" + i + "-0")));
        }
        return new GuardReport(base.event(), findings, count + " findings");
    }
}
