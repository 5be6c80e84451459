package dev.ecrdigestguard.retag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.manifest.ContentSource;
import dev.ecrdigestguard.manifest.Rewrite;
import dev.ecrdigestguard.registry.ImageRegistry.TagMutability;
import dev.ecrdigestguard.registry.RegistryException;
import dev.ecrdigestguard.retag.RetagOutcome.NothingToDo;
import dev.ecrdigestguard.retag.RetagOutcome.Refused;
import dev.ecrdigestguard.retag.RetagOutcome.Retagged;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetaggerTest {

    static final RepositoryName REPO = RepositoryName.of("team/app");
    static final ProductionTags PRODUCTION = ProductionTags.parse("tag-*");
    static final byte[] CONFIG = "{\"architecture\":\"amd64\",\"config\":{\"Env\":[\"A=1\"]},\"rootfs\":{}}"
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] ARM_CONFIG = "{\"architecture\":\"arm64\",\"config\":{},\"rootfs\":{}}"
            .getBytes(StandardCharsets.UTF_8);

    final InMemoryRegistry registry = new InMemoryRegistry(REPO).putBlob(CONFIG).putBlob(ARM_CONFIG);
    final FakeRewriting rewriting = new FakeRewriting();

    static Manifest oci() {
        return Manifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + FakeRewriting.OCI + "\",\"config\":"
                + "{\"digest\":\"" + Digest.sha256(CONFIG) + "\",\"size\":" + CONFIG.length + "},"
                + "\"layers\":[]}").getBytes(StandardCharsets.UTF_8), FakeRewriting.OCI);
    }

    static Manifest docker(byte[] config) {
        return Manifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + FakeRewriting.DOCKER + "\",\"config\":"
                + "{\"digest\":\"" + Digest.sha256(config) + "\",\"size\":" + config.length + "},"
                + "\"layers\":[]}").getBytes(StandardCharsets.UTF_8), FakeRewriting.DOCKER);
    }

    static Manifest dockerList(Manifest amd, Manifest arm) {
        return Manifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + FakeRewriting.DOCKER_LIST + "\","
                + "\"manifests\":[" + entry(amd, "amd64") + "," + entry(arm, "arm64") + "]}")
                .getBytes(StandardCharsets.UTF_8), FakeRewriting.DOCKER_LIST);
    }

    private static String entry(Manifest child, String arch) {
        return "{\"mediaType\":\"" + FakeRewriting.DOCKER + "\",\"digest\":\"" + child.digest() + "\",\"size\":"
                + child.bytes().length + ",\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\"}}";
    }

    Retagger retagger() {
        return new Retagger(registry, rewriting, PRODUCTION, false);
    }

    RetagOutcome retag(String tag, Manifest pushed) {
        return retagger().retag(REPO, Tag.of(tag), Optional.of(pushed.digest()), false);
    }

    @Test
    void retag_movesTagToOwnDigest_whenItSharesItsDigestWithAnotherProductionTag() {
        // GIVEN tag-2 pushed onto the digest of tag-1
        Manifest image = oci();
        registry.put(image, "tag-1", "tag-2", "latest");

        // WHEN
        RetagOutcome outcome = retag("tag-2", image);

        // THEN tag-2 moved to a new digest whose manifest names it; the other tags stay
        assertThat(outcome).isInstanceOf(Retagged.class);
        Retagged retagged = (Retagged) outcome;
        assertThat(retagged.fromDigest()).isEqualTo(image.digest());
        assertThat(retagged.toDigest()).isNotEqualTo(image.digest());
        assertThat(retagged.sharedWith()).containsExactly(Tag.of("tag-1"));
        assertThat(retagged.whatChanged()).contains("tag-2");
        assertThat(registry.digestOf("tag-2")).contains(retagged.toDigest());
        assertThat(registry.digestOf("tag-1")).contains(image.digest());
        assertThat(registry.digestOf("latest")).contains(image.digest());
        assertThat(registry.manifest(retagged.toDigest()).text()).contains("\"dev.ecrdigestguard.retag\":\"tag-2\"");
    }

    @Test
    void retag_uploadsTheNewConfigBeforeMovingTheTag_forDockerImages() {
        Manifest image = docker(CONFIG);
        registry.put(image, "tag-1", "tag-2");

        Retagged retagged = (Retagged) retag("tag-2", image);

        assertThat(registry.writes()).hasSize(2);
        assertThat(registry.writes().get(0)).startsWith("blob ");
        assertThat(registry.writes().get(1)).isEqualTo("manifest " + retagged.toDigest().shortForm() + " tag tag-2");
    }

    @Test
    void retag_pushesEveryRebuiltPlatformBeforeTheList_forDockerManifestLists() {
        Manifest amd = docker(CONFIG);
        Manifest arm = docker(ARM_CONFIG);
        Manifest list = dockerList(amd, arm);
        registry.put(amd).put(arm).put(list, "tag-1", "tag-2");

        Retagged retagged = (Retagged) retag("tag-2", list);

        assertThat(registry.writes()).hasSize(5);
        assertThat(registry.writes().subList(0, 2)).allMatch(w -> w.startsWith("blob "));
        assertThat(registry.writes().subList(2, 4)).allMatch(w -> w.startsWith("manifest ") && !w.contains(" tag "));
        assertThat(registry.writes().get(4)).endsWith(" tag tag-2");
        assertThat(registry.manifest(retagged.toDigest()).text()).contains("amd64", "arm64");
    }

    @Test
    void retag_doesNothing_whenTheTagHasADigestOfItsOwn() {
        Manifest image = oci();
        registry.put(image, "tag-2", "latest");

        RetagOutcome outcome = retag("tag-2", image);

        assertThat(outcome).isInstanceOf(NothingToDo.class);
        assertThat(((NothingToDo) outcome).reason()).contains("digest of its own");
        assertThat(registry.writes()).isEmpty();
    }

    @Test
    void retag_doesNothing_forANonProductionTag() {
        Manifest image = oci();
        registry.put(image, "tag-1", "latest");

        RetagOutcome outcome = retag("latest", image);

        assertThat(outcome).isInstanceOf(NothingToDo.class);
        assertThat(registry.writes()).isEmpty();
    }

    @Test
    void retag_doesNothing_whenTheTagDoesNotExist() {
        RetagOutcome outcome = retagger().retag(REPO, Tag.of("tag-9"), Optional.empty(), false);

        assertThat(outcome).isInstanceOf(NothingToDo.class);
        assertThat(outcome.digestBefore()).isEmpty();
    }

    @Test
    void retag_doesNothing_whenTheTagMovedSinceThePush() {
        Manifest first = oci();
        Manifest later = docker(CONFIG);
        registry.put(first, "tag-1").put(later, "tag-2", "tag-3");

        RetagOutcome outcome = retag("tag-2", first);

        assertThat(outcome).isInstanceOf(NothingToDo.class);
        assertThat(((NothingToDo) outcome).reason()).contains("has moved");
        assertThat(registry.writes()).isEmpty();
    }

    @Test
    void retag_leavesItsOwnRewriteAlone_whenThePushOfTheRewriteRaisesAnEvent() {
        // GIVEN a re-tag happened, and another release tag then landed on the rewritten image
        Manifest image = oci();
        registry.put(image, "tag-1", "tag-2");
        Retagged first = (Retagged) retag("tag-2", image);
        registry.put(registry.manifest(first.toDigest()), "tag-2", "tag-3");

        // WHEN the event of our own push arrives
        RetagOutcome outcome = retagger().retag(REPO, Tag.of("tag-2"), Optional.of(first.toDigest()), false);

        // THEN it is recognised, not rewritten again
        assertThat(outcome).isInstanceOf(NothingToDo.class);
        assertThat(((NothingToDo) outcome).reason()).contains("already is this tool's rewrite");
        assertThat(registry.writes()).hasSize(1);
    }

    @Test
    void retag_createsOneNewDigest_whenTheSameEventArrivesTwice() {
        Manifest image = docker(CONFIG);
        registry.put(image, "tag-1", "tag-2");

        RetagOutcome first = retag("tag-2", image);
        int manifestsAfterFirst = registry.manifestCount();
        RetagOutcome second = retag("tag-2", image);

        assertThat(first).isInstanceOf(Retagged.class);
        assertThat(second).isInstanceOf(NothingToDo.class);
        assertThat(registry.manifestCount()).isEqualTo(manifestsAfterFirst);
    }

    @Test
    void retag_runTwiceWithoutAnEventDigest_createsOneNewDigest() {
        Manifest image = oci();
        registry.put(image, "tag-1", "tag-2");
        Retagger retagger = retagger();

        RetagOutcome first = retagger.retag(REPO, Tag.of("tag-2"), Optional.empty(), false);
        RetagOutcome second = retagger.retag(REPO, Tag.of("tag-2"), Optional.empty(), false);

        assertThat(first).isInstanceOf(Retagged.class);
        assertThat(second).isInstanceOf(NothingToDo.class);
        assertThat(registry.manifestCount()).isEqualTo(2);
    }

    @Test
    void retag_givesTwoReleasesPushedTogetherTwoDigests_andTheOriginalKeepsItsOlderTag() {
        // GIVEN tag-2 and tag-3 both pushed onto the image of tag-1
        Manifest image = oci();
        registry.put(image, "tag-1", "tag-2", "tag-3");

        // WHEN both events are handled
        Retagged second = (Retagged) retag("tag-2", image);
        Retagged third = (Retagged) retag("tag-3", image);

        // THEN each has its own new digest, and tag-1 stays where it was
        assertThat(second.toDigest()).isNotEqualTo(third.toDigest());
        assertThat(registry.digestOf("tag-2")).contains(second.toDigest());
        assertThat(registry.digestOf("tag-3")).contains(third.toDigest());
        assertThat(registry.digestOf("tag-1")).contains(image.digest());
    }

    @Test
    void retag_refusesWithoutAnAttempt_whenTheTagIsImmutable() {
        Manifest image = oci();
        registry.put(image, "tag-1", "tag-2").mutability(TagMutability.IMMUTABLE);

        RetagOutcome outcome = retag("tag-2", image);

        assertThat(outcome).isInstanceOf(Refused.class);
        assertThat(((Refused) outcome).reason()).contains("immutable");
        assertThat(((Refused) outcome).sharedWith()).containsExactly(Tag.of("tag-1"));
        assertThat(registry.writes()).isEmpty();
    }

    @Test
    void retag_refuses_whenTheRegistryRejectsMovingTheTag() {
        Manifest image = oci();
        registry.put(image, "tag-1", "tag-2").rejectTagMoves();

        RetagOutcome outcome = retag("tag-2", image);

        assertThat(outcome).isInstanceOf(Refused.class);
        assertThat(((Refused) outcome).reason()).contains("refused to move tag tag-2");
        assertThat(registry.digestOf("tag-2")).contains(image.digest());
    }

    @Test
    void retag_refusesSignedImages_byDefault() {
        Manifest image = oci();
        registry.put(image, "tag-1", "tag-2").referrer(image.digest(), docker(CONFIG).digest());

        RetagOutcome outcome = retag("tag-2", image);

        assertThat(outcome).isInstanceOf(Refused.class);
        assertThat(((Refused) outcome).reason()).contains("1 OCI referrer", "RETAG_SIGNED_IMAGES");
        assertThat(registry.writes()).isEmpty();
    }

    @Test
    void retag_refusesImagesWithCosignSignatureOrAttestationTags() {
        Manifest image = oci();
        Manifest signature = docker(ARM_CONFIG);
        registry.put(image, "tag-1", "tag-2").put(signature, "sha256-" + image.digest().hex() + ".att");

        RetagOutcome outcome = retag("tag-2", image);

        assertThat(outcome).isInstanceOf(Refused.class);
        assertThat(((Refused) outcome).reason()).contains("cosign tag sha256-" + image.digest().hex() + ".att");
    }

    @Test
    void retag_retagsSignedImages_whenAllowed() {
        Manifest image = oci();
        registry.put(image, "tag-1", "tag-2").put(docker(ARM_CONFIG), "sha256-" + image.digest().hex() + ".sig");

        RetagOutcome outcome = new Retagger(registry, rewriting, PRODUCTION, true)
                .retag(REPO, Tag.of("tag-2"), Optional.of(image.digest()), false);

        assertThat(outcome).isInstanceOf(Retagged.class);
    }

    @Test
    void retag_refusesWithTheRewritersReason_forManifestsItDoesNotRewrite() {
        Manifest chart = Manifest.of("{\"schemaVersion\":2,\"artifactType\":\"helm\"}"
                .getBytes(StandardCharsets.UTF_8), "application/vnd.cncf.helm.chart.v1+json");
        registry.put(chart, "tag-1", "tag-2");

        RetagOutcome outcome = retag("tag-2", chart);

        assertThat(outcome).isInstanceOf(Refused.class);
        assertThat(((Refused) outcome).reason()).contains("can't be rewritten", "helm");
        assertThat(registry.writes()).isEmpty();
    }

    @Test
    void retag_leavesTheTagInPlaceOnAFailureBeforeTheTagMoves_andARetryFinishes() {
        // GIVEN the config upload succeeds but the tagged push fails
        Manifest image = docker(CONFIG);
        registry.put(image, "tag-1", "tag-2")
                .failNextTaggedPush(new RegistryException("ecr:PutImage failed: ServerException (HTTP 500)", true));

        // WHEN / THEN the failure propagates and the tag has not moved
        assertThatThrownBy(() -> retag("tag-2", image)).isInstanceOf(RegistryException.class);
        assertThat(registry.digestOf("tag-2")).contains(image.digest());

        // WHEN the event is retried THEN it finishes on the digest the first attempt computed
        Retagged dryRun = (Retagged) retagger().retag(REPO, Tag.of("tag-2"), Optional.of(image.digest()), true);
        Retagged retried = (Retagged) retag("tag-2", image);
        assertThat(retried.toDigest()).isEqualTo(dryRun.toDigest());
        assertThat(registry.digestOf("tag-2")).contains(retried.toDigest());
    }

    @Test
    void retag_dryRun_reportsTheDigestWithoutWriting() {
        Manifest image = oci();
        registry.put(image, "tag-1", "tag-2");

        Retagged dryRun = (Retagged) retagger().retag(REPO, Tag.of("tag-2"), Optional.empty(), true);

        assertThat(dryRun.dryRun()).isTrue();
        assertThat(registry.writes()).isEmpty();
        assertThat(registry.digestOf("tag-2")).contains(image.digest());
        Retagged real = (Retagged) retag("tag-2", image);
        assertThat(real.toDigest()).isEqualTo(dryRun.toDigest());
    }

    @Test
    void retag_refuses_whenARewriteWouldNotChangeTheDigest() {
        Manifest image = oci();
        registry.put(image, "tag-1", "tag-2");
        ManifestRewriting identity = new ManifestRewriting() {
            @Override
            public Rewrite makeUnique(Manifest manifest, Tag tag, ContentSource content) {
                return new Rewrite.Rewritten(manifest, List.of(), List.of(), "nothing");
            }

            @Override
            public boolean carriesMarker(Manifest manifest, Tag tag, ContentSource content) {
                return false;
            }
        };

        RetagOutcome outcome = new Retagger(registry, identity, PRODUCTION, false)
                .retag(REPO, Tag.of("tag-2"), Optional.of(image.digest()), false);

        assertThat(outcome).isInstanceOf(Refused.class);
        assertThat(registry.writes()).isEmpty();
    }
}
