package dev.ecrdigestguard.retag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.retag.RetagOutcome.NothingToDo;
import dev.ecrdigestguard.retag.RetagOutcome.Refused;
import dev.ecrdigestguard.retag.RetagOutcome.Retagged;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Retagger with the program's real rewriter, on an in-memory registry: the seam passes its results through. */
class StandardManifestRewritingTest {

    static final RepositoryName REPO = RepositoryName.of("team/app");
    static final byte[] CONFIG = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"A=1\"]},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + "1".repeat(64) + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    static final String LAYER = "{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":"
            + "\"sha256:" + "2".repeat(64) + "\",\"size\":100}";
    static final Manifest DOCKER = Manifest.of(("{\"schemaVersion\":2,\"mediaType\":"
            + "\"application/vnd.docker.distribution.manifest.v2+json\",\"config\":{\"mediaType\":"
            + "\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" + Digest.sha256(CONFIG)
            + "\",\"size\":" + CONFIG.length + "},\"layers\":[" + LAYER + "]}").getBytes(StandardCharsets.UTF_8),
            "application/vnd.docker.distribution.manifest.v2+json");

    final InMemoryRegistry registry = new InMemoryRegistry(REPO).putBlob(CONFIG).put(DOCKER, "tag-1", "tag-2");
    final Retagger retagger = new Retagger(registry, ManifestRewriting.standard(), ProductionTags.parse("tag-*"),
            false);

    @Test
    void dockerImage_getsANewConfigBlob_andASecondRunRecognisesTheRewrite() {
        RetagOutcome first = retagger.retag(REPO, Tag.of("tag-2"), Optional.of(DOCKER.digest()), false);

        assertThat(first).isInstanceOf(Retagged.class);
        assertThat(registry.writes()).hasSize(2).first().asString().startsWith("blob ");
        Retagged retagged = (Retagged) first;
        assertThat(registry.digestOf("tag-2")).contains(retagged.toDigest());
        assertThat(registry.digestOf("tag-1")).contains(DOCKER.digest());

        RetagOutcome second = retagger.retag(REPO, Tag.of("tag-2"), Optional.of(retagged.toDigest()), false);

        assertThat(second).isInstanceOf(NothingToDo.class);
        assertThat(((NothingToDo) second).reason()).contains("already is this tool's rewrite");
    }

    @Test
    void anArtifact_isRefusedWithTheRewritersReason() {
        Manifest chart = Manifest.of(("{\"schemaVersion\":2,\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.cncf.helm.config.v1+json\",\"digest\":\"" + Digest.sha256(CONFIG)
                + "\",\"size\":" + CONFIG.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8),
                "application/vnd.oci.image.manifest.v1+json");
        registry.put(chart, "tag-3", "tag-4");

        RetagOutcome outcome = retagger.retag(REPO, Tag.of("tag-4"), Optional.of(chart.digest()), false);

        assertThat(outcome).isInstanceOf(Refused.class);
        assertThat(((Refused) outcome).reason()).startsWith("the image can't be rewritten: ");
    }
}
