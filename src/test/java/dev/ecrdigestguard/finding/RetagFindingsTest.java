package dev.ecrdigestguard.finding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetagFindingsTest {

    static final RepositoryName REPO = RepositoryName.of("shop-api");
    static final Digest OLD = Digest.of("sha256:" + "a".repeat(64));
    static final Digest NEW = Digest.of("sha256:" + "b".repeat(64));

    @Test
    void retagged_reportsTagBothDigestsTheChange_andThatScansAndSignaturesStayWithTheOldDigest() {
        RetaggedFinding finding = new RetaggedFinding(REPO, Tag.of("tag-2"), OLD, NEW,
                "annotation dev.ecrdigestguard.retag=tag-2", List.of(Tag.of("tag-1")));

        assertThat(finding.kind()).isEqualTo(Finding.Kind.RETAGGED);
        assertThat(finding.title()).isEqualTo("tag-2 re-tagged to a digest of its own in shop-api");
        assertThat(finding.explanation()).contains(OLD.value(), NEW.value(), "annotation dev.ecrdigestguard.retag",
                "Scan findings and signatures belong to a digest");
        assertThat(finding.details()).containsKeys("newDigest", "whatChanged", "scansAndSignaturesStayOn");
        assertThat(finding.details().keySet()).startsWith("kind", "repository", "tag", "imageDigest");
        assertThat(finding.details().get("scansAndSignaturesStayOn")).isEqualTo(OLD.value());
    }

    @Test
    void retagged_rejectsAMoveToTheSameDigest() {
        assertThatThrownBy(() -> new RetaggedFinding(REPO, Tag.of("tag-2"), OLD, OLD, "x", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refused_explainsTheRemainingDangerAndWhy() {
        RetagRefusedFinding finding = new RetagRefusedFinding(REPO, Tag.of("tag-2"), OLD,
                List.of(Tag.of("tag-1")), "tag tag-2 is immutable in shop-api");

        assertThat(finding.severity()).isEqualTo(Finding.Severity.WARNING);
        assertThat(finding.explanation()).contains("tag-1", "changed nothing: tag tag-2 is immutable");
        assertThat(finding.details()).containsEntry("reason", "tag tag-2 is immutable in shop-api");
        assertThat(finding.details().keySet()).startsWith("kind", "repository", "tag", "imageDigest");
        assertThat(finding.nextSteps()).noneMatch(step -> step.text().contains("RETAG_SIGNED_IMAGES"));
    }

    @Test
    void refused_forASignedImage_saysHowToAllowIt() {
        RetagRefusedFinding finding = new RetagRefusedFinding(REPO, Tag.of("tag-2"), OLD,
                List.of(Tag.of("tag-1")), "image is signed or attested (1 OCI referrer)");

        assertThat(finding.nextSteps()).anyMatch(step -> step.text().contains("RETAG_SIGNED_IMAGES=true"));
    }
}
