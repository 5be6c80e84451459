package dev.ecrdigestguard.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.finding.RetagRefusedFinding;
import dev.ecrdigestguard.finding.RetaggedFinding;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.registry.ImageRegistry.TagMutability;
import dev.ecrdigestguard.retag.FakeRewriting;
import dev.ecrdigestguard.retag.InMemoryRegistry;
import dev.ecrdigestguard.retag.Retagger;
import dev.ecrdigestguard.testing.Reports;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RetagStepTest {

    static final Manifest IMAGE = Manifest.of(("{\"schemaVersion\":2,\"mediaType\":\""
            + FakeRewriting.OCI + "\",\"config\":{},\"layers\":[]}").getBytes(StandardCharsets.UTF_8), FakeRewriting.OCI);
    static final PushEvent PUSH = new PushEvent("event-1", Instant.parse("2022-12-22T09:41:12Z"), "123456789012",
            "eu-west-1", RepositoryName.of("shop-api"), IMAGE.digest(), Tag.of("tag-1-253-0"), Optional.empty(),
            Optional.empty());

    final InMemoryRegistry registry = new InMemoryRegistry(PUSH.repository())
            .put(IMAGE, "tag-1-252-0", "tag-1-253-0");
    final RetagStep retag = new RetagStep(
            new Retagger(registry, new FakeRewriting(), ProductionTags.parse("tag-*"), false));

    static LifecycleExpiryFinding expiry() {
        return new LifecycleExpiryFinding(PUSH.repository(), PUSH.tag(),
                List.of(PUSH.tag(), Tag.of("tag-1-252-0")), PUSH.digest(), LifecycleExpiryFinding.Outcome.EXPIRE, 1,
                Optional.empty(), "imageCountMoreThan", 5, OptionalInt.of(6), Instant.parse("2022-10-01T00:00:00Z"),
                PUSH.time(), "PUSH_EVENT", PUSH.time(), true);
    }

    GuardReport report(Finding... more) {
        List<Finding> findings = new java.util.ArrayList<>(List.of(Reports.sharedDigest(PUSH, List.of("tag-1-252-0"))));
        findings.addAll(List.of(more));
        return new GuardReport(PUSH, findings, "production tag tag-1-253-0: findings");
    }

    @Test
    void apply_replacesTheSharedDigestFinding_withTheRetag_andDropsLifecycleFindingsOfTheOldDigest() {
        GuardReport after = retag.apply(report(expiry()));

        assertThat(after.findings()).hasSize(1).first().isInstanceOf(RetaggedFinding.class);
        assertThat(after.summary()).endsWith("re-tag: retagged");
    }

    @Test
    void apply_keepsLifecycleFindings_whenTheRetagIsRefused() {
        registry.mutability(TagMutability.IMMUTABLE);

        GuardReport after = retag.apply(report(expiry()));

        assertThat(after.findings()).extracting(Finding::kind)
                .containsExactlyInAnyOrder(Finding.Kind.RETAG_REFUSED, Finding.Kind.LIFECYCLE_EXPIRY);
        assertThat(after.findings()).filteredOn(RetagRefusedFinding.class::isInstance).singleElement()
                .satisfies(f -> assertThat(((RetagRefusedFinding) f).otherProductionTags())
                        .containsExactly(Tag.of("tag-1-252-0")));
    }

    @Test
    void apply_dropsTheSharedDigestFinding_whenAFreshLookFindsNothingToDo() {
        registry.put(IMAGE, "tag-1-253-0");
        registry.put(Manifest.of("{}".getBytes(StandardCharsets.UTF_8), FakeRewriting.OCI), "tag-1-252-0");

        GuardReport after = retag.apply(report());

        assertThat(after.findings()).isEmpty();
        assertThat(after.summary()).endsWith("re-tag not needed");
    }

    @Test
    void apply_rescuesAReleaseExpiringOutOfTurn_evenWhenNoOtherReleaseSharesItsDigest() {
        // GIVEN an age rule about to delete tag-2-0-0, alone on an old digest (no shared-digest finding)
        Manifest old = Manifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + FakeRewriting.OCI
                + "\",\"config\":{},\"layers\":[],\"old\":true}").getBytes(StandardCharsets.UTF_8), FakeRewriting.OCI);
        registry.put(old, "tag-2-0-0");
        LifecycleExpiryFinding expiry = new LifecycleExpiryFinding(PUSH.repository(), Tag.of("tag-2-0-0"),
                List.of(Tag.of("tag-2-0-0")), old.digest(), LifecycleExpiryFinding.Outcome.EXPIRE, 1,
                Optional.empty(), "sinceImagePushed", 21, OptionalInt.empty(), Instant.parse("2022-11-01T00:00:00Z"),
                Instant.parse("2022-11-19T00:00:00Z"), "LEDGER", Instant.parse("2022-11-22T00:00:00Z"), true);

        // WHEN
        List<String> done = new ArrayList<>();
        List<Finding> after = retag.apply(List.of(expiry), done);

        // THEN the release has a digest of its own, and the expiry of the old digest is no longer its fate
        assertThat(after).singleElement().isInstanceOfSatisfying(RetaggedFinding.class, retagged -> {
            assertThat(retagged.tag()).isEqualTo(Tag.of("tag-2-0-0"));
            assertThat(retagged.imageDigest()).isEqualTo(old.digest());
            assertThat(retagged.otherProductionTags()).isEmpty();
            assertThat(retagged.explanation()).startsWith("The lifecycle policy was about to delete the release tag"
                    + " tag-2-0-0 in shop-api out of turn");
        });
        assertThat(registry.digestOf("tag-2-0-0")).isPresent().get().isNotEqualTo(old.digest());
        assertThat(done).containsExactly("retagged");
    }

    @Test
    void apply_retagsAPushedTagOnce_whenItIsBothSharedAndExpiringOutOfTurn() {
        GuardReport after = retag.apply(report(expiry()));

        assertThat(registry.writes()).filteredOn(write -> write.contains("tag-1-253-0")).hasSize(1);
        assertThat(after.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.RETAGGED);
    }
}
