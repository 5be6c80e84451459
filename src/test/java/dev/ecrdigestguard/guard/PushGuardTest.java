package dev.ecrdigestguard.guard;

import static dev.ecrdigestguard.testing.Pushes.DIGEST;
import static dev.ecrdigestguard.testing.Pushes.PUSHED_AT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.testing.InMemoryLedger;
import dev.ecrdigestguard.testing.Pushes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PushGuardTest {

    private final FakeCatalog catalog = new FakeCatalog();
    private final PushGuard guard = new PushGuard(ProductionTags.parse("tag-*"), catalog);

    @Test
    void inspect_productionPushOnASharedDigest_findsSharedDigest() {
        catalog.image = Optional.of(image("git-1", "tag-1-252-0", "tag-1-253-0"));

        GuardReport report = guard.inspect(Pushes.push("tag-1-253-0"));

        assertThat(report.findings()).singleElement()
                .satisfies(finding -> assertThat(finding.kind()).isEqualTo(Finding.Kind.SHARED_DIGEST));
        assertThat(catalog.calls).containsExactly("describeImage shop-api " + DIGEST, "lifecyclePolicyText shop-api");
    }

    @Test
    void inspect_addsLifecycleFindings_whenThePolicyExpiresTheRelease() {
        // GIVEN the story: the shared digest was first pushed before five later releases, and the policy keeps 5
        catalog.image = Optional.of(image("git-1", "tag-1-252-0", "tag-1-253-0"));
        catalog.policy = Optional.of("""
                {"rules":[{"rulePriority":1,"description":"Keep last 5 production images","selection":{
                  "tagStatus":"tagged","tagPrefixList":["tag"],"countType":"imageCountMoreThan","countNumber":5},
                  "action":{"type":"expire"}}]}""");
        for (int i = 0; i < 5; i++) {
            catalog.others.add(ImageRecord.of(Digest.of(String.format("sha256:%064x", i)),
                    List.of(Tag.of("tag-1-24" + i + "-0")), PUSHED_AT.plusSeconds(3600L * (i + 1))));
        }

        // WHEN
        GuardReport report = guard.inspect(Pushes.push("tag-1-253-0"));

        // THEN
        assertThat(report.findings()).extracting(Finding::kind).containsExactlyInAnyOrder(
                Finding.Kind.SHARED_DIGEST, Finding.Kind.LIFECYCLE_EXPIRY, Finding.Kind.LIFECYCLE_OUTRANKED);
        assertThat(report.findings().get(0).title()).isEqualTo(
                "tag-1-253-0 in shop-api will be deleted by lifecycle rule 1 within 24 hours");
        assertThat(catalog.calls).containsExactly("describeImage shop-api " + DIGEST, "lifecyclePolicyText shop-api",
                "forEachImage shop-api");
    }

    @Test
    void inspect_reportsNoLifecycleFinding_whenThePolicyIsNotUnderstood_andSaysSo() {
        catalog.image = Optional.of(image("git-1", "tag-1-253-0"));
        catalog.policy = Optional.of("{\"rules\":[{\"rulePriority\":1}]}");

        GuardReport report = guard.inspect(Pushes.push("tag-1-253-0"));

        assertThat(report.hasFindings()).isFalse();
        assertThat(report.notes()).singleElement().asString()
                .startsWith("the lifecycle policy of shop-api was not evaluated: rule 1: ");
        assertThat(catalog.calls).doesNotContain("forEachImage shop-api");
    }

    static final String KEEP_LAST_5 = """
            {"rules":[{"rulePriority":1,"description":"Keep last 5 production images","selection":{
              "tagStatus":"tagged","tagPrefixList":["tag"],"countType":"imageCountMoreThan","countNumber":5},
              "action":{"type":"expire"}}]}""";

    @Test
    void inspect_namesEveryOtherReleaseThisPushTakesOutOfTurn() {
        // GIVEN tag-1-250-0, released yesterday on a digest first pushed before four later releases, ranks 5th of 5
        RepositoryLocation location = new RepositoryLocation("123456789012", "eu-west-1", Pushes.REPOSITORY);
        Digest old = Digest.of(String.format("sha256:%064x", 100));
        catalog.others.add(ImageRecord.of(old, List.of(Tag.of("tag-1-250-0")), PUSHED_AT.minusSeconds(86_400 * 30)));
        for (int i = 0; i < 4; i++) {
            catalog.others.add(ImageRecord.of(Digest.of(String.format("sha256:%064x", i)),
                    List.of(Tag.of("tag-1-24" + i + "-0")), PUSHED_AT.minusSeconds(86_400L * (20 - i))));
        }
        InMemoryLedger ledger = new InMemoryLedger().record(location, "tag-1-250-0", old,
                Pushes.EVENT_TIME.minusSeconds(86_400));
        catalog.policy = Optional.of(KEEP_LAST_5);
        // WHEN a new release on a digest of its own is pushed
        catalog.image = Optional.of(image("git-9", "tag-1-251-0"));
        GuardReport report = new PushGuard(ProductionTags.parse("tag-*"), catalog, ledger)
                .inspect(Pushes.push("tag-1-251-0"));

        // THEN the release it pushes out of the count is named, with its digest and the times used
        assertThat(report.findings()).singleElement().isInstanceOfSatisfying(LifecycleExpiryFinding.class, expiry -> {
            assertThat(expiry.tag()).isEqualTo(Tag.of("tag-1-250-0"));
            assertThat(expiry.imageDigest()).isEqualTo(old);
            assertThat(expiry.rank()).hasValue(6);
            assertThat(expiry.releasedAt()).isEqualTo(Pushes.EVENT_TIME.minusSeconds(86_400));
            assertThat(expiry.releaseTimeSource()).isEqualTo("LEDGER");
            assertThat(expiry.severity()).isEqualTo(Finding.Severity.CRITICAL);
        });
        // AND the push itself is recorded, once
        assertThat(ledger.writes).containsExactly("tag-1-251-0@" + DIGEST.shortForm() + " " + Pushes.EVENT_TIME);
        assertThat(ledger.releases(location)).extracting(LedgerEntry::tag).extracting(Tag::value)
                .containsExactly("tag-1-250-0", "tag-1-251-0");
    }

    @Test
    void inspect_sendsWhatItKnows_andSaysWhatItCouldNotJudge_whenTheDeadlinePasses() {
        // GIVEN a shared digest and a policy, but no time left to read the repository
        catalog.image = Optional.of(image("git-1", "tag-1-252-0", "tag-1-253-0"));
        catalog.policy = Optional.of(KEEP_LAST_5);
        catalog.others.add(ImageRecord.of(Digest.of(String.format("sha256:%064x", 1)), List.of(Tag.of("tag-1-0-0")),
                PUSHED_AT));

        GuardReport report = guard.inspect(Pushes.push("tag-1-253-0"), Instant.now().minusSeconds(1));

        assertThat(report.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.SHARED_DIGEST);
        assertThat(report.notes()).singleElement().asString().startsWith("the lifecycle policy was not evaluated:"
                + " reading the repository's images (0 so far) did not finish in the time the function has");
    }

    @Test
    void inspect_nonProductionPush_readsNothing() {
        GuardReport report = guard.inspect(Pushes.push("git-325dc21f"));

        assertThat(report.hasFindings()).isFalse();
        assertThat(report.summary()).contains("not a production tag");
        assertThat(catalog.calls).isEmpty();
    }

    @Test
    void inspect_imageGone_orTagMovedOn_isNothingToCheck() {
        assertThat(guard.inspect(Pushes.push("tag-1-253-0")).summary()).contains("no longer in shop-api");

        catalog.image = Optional.of(image("tag-1-252-0", "tag-1-254-0"));
        assertThat(guard.inspect(Pushes.push("tag-1-253-0")).summary()).contains("no longer points at");
    }

    @Test
    void inspect_uniqueDigest_isClean() {
        catalog.image = Optional.of(image("git-1", "tag-1-253-0"));

        GuardReport report = guard.inspect(Pushes.push("tag-1-253-0"));

        assertThat(report.hasFindings()).isFalse();
        assertThat(report.summary()).contains("digest of its own");
    }

    private static ImageRecord image(String... tags) {
        return ImageRecord.of(DIGEST, Arrays.stream(tags).map(Tag::of).toList(), PUSHED_AT);
    }

    private static final class FakeCatalog implements ImageCatalog {
        Optional<ImageRecord> image = Optional.empty();
        Optional<String> policy = Optional.empty();
        final List<ImageRecord> others = new ArrayList<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public Optional<ImageRecord> describeImage(RepositoryName repository, Digest digest) {
            calls.add("describeImage " + repository + " " + digest);
            return image;
        }

        @Override
        public Optional<String> lifecyclePolicyText(RepositoryName repository) {
            calls.add("lifecyclePolicyText " + repository);
            return policy;
        }

        @Override
        public void forEachImage(RepositoryName repository, Consumer<ImageRecord> consumer) {
            calls.add("forEachImage " + repository);
            image.ifPresent(consumer);
            others.forEach(consumer);
        }
    }
}
