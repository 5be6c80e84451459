package dev.ecrdigestguard.ecr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.registry.ImageRegistry.PushOutcome;
import dev.ecrdigestguard.registry.ImageRegistry.TagMutability;
import dev.ecrdigestguard.registry.ImmutableTagException;
import dev.ecrdigestguard.registry.RegistryException;
import dev.ecrdigestguard.retag.FakeRewriting;
import dev.ecrdigestguard.retag.RetagOutcome;
import dev.ecrdigestguard.retag.Retagger;
import dev.ecrdigestguard.testing.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EcrRegistryClientTest {

    static final RepositoryName REPO = RepositoryName.of("team/app");
    static final String DOCKER = "application/vnd.docker.distribution.manifest.v2+json";
    static final byte[] CONFIG = "{\"architecture\":\"amd64\",\"config\":{},\"rootfs\":{}}"
            .getBytes(StandardCharsets.UTF_8);
    static final Digest CONFIG_DIGEST = Digest.sha256(CONFIG);
    static final String MANIFEST_TEXT = "{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER + "\",\"config\":{\"digest\":\""
            + CONFIG_DIGEST + "\",\"size\":" + CONFIG.length + "},\"layers\":[]}";
    static final Manifest MANIFEST = Manifest.of(MANIFEST_TEXT.getBytes(StandardCharsets.UTF_8), DOCKER);

    final EcrStub stub = new EcrStub();
    final EcrRegistryClient client = EcrRegistryClient.create(stub.ecr);

    @AfterEach
    void stop() {
        stub.close();
    }

    static String image(Manifest manifest, String tag) {
        ObjectNode image = JsonTrees.object();
        image.put("repositoryName", REPO.value());
        ObjectNode id = image.putObject("imageId");
        id.put("imageDigest", manifest.digest().value());
        if (tag != null) {
            id.put("imageTag", tag);
        }
        image.put("imageManifest", manifest.text());
        image.put("imageManifestMediaType", manifest.mediaType());
        ObjectNode response = JsonTrees.object();
        response.putArray("images").add(image);
        response.putArray("failures");
        return JsonTrees.write(response);
    }

    // ---- BatchGetImage

    @Test
    void fetchManifest_byTag_asksForAllFourManifestTypes_andReturnsTheExactBytes() {
        stub.answer("BatchGetImage", image(MANIFEST, "tag-1"));

        Optional<Manifest> manifest = client.fetchManifest(REPO, "tag-1");

        assertThat(manifest).contains(MANIFEST);
        assertThat(manifest.get().bytes()).isEqualTo(MANIFEST.bytes());
        JsonNode body = stub.body("BatchGetImage");
        assertThat(body.get("repositoryName").asText()).isEqualTo("team/app");
        assertThat(body.get("imageIds").get(0).get("imageTag").asText()).isEqualTo("tag-1");
        assertThat(body.get("acceptedMediaTypes")).extracting(JsonNode::asText).containsExactlyInAnyOrder(
                "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
                DOCKER, "application/vnd.docker.distribution.manifest.list.v2+json");
    }

    @Test
    void fetchManifest_byDigest_sendsTheDigest() {
        stub.answer("BatchGetImage", image(MANIFEST, null));

        assertThat(client.fetchManifest(REPO, MANIFEST.digest().value())).contains(MANIFEST);

        JsonNode id = stub.body("BatchGetImage").get("imageIds").get(0);
        assertThat(id.get("imageDigest").asText()).isEqualTo(MANIFEST.digest().value());
        assertThat(id.has("imageTag")).isFalse();
    }

    @Test
    void fetchManifest_isEmpty_whenTheImageIsNotFound() {
        stub.answer("BatchGetImage", "{\"images\":[],\"failures\":[{\"imageId\":{\"imageTag\":\"tag-9\"},"
                + "\"failureCode\":\"ImageNotFound\",\"failureReason\":\"Requested image not found\"}]}");

        assertThat(client.fetchManifest(REPO, "tag-9")).isEmpty();
    }

    @Test
    void fetchManifest_isEmpty_whenTheRepositoryDoesNotExist() {
        stub.fail("BatchGetImage", 400, "RepositoryNotFoundException", "no repository");

        assertThat(client.fetchManifest(REPO, "tag-1")).isEmpty();
    }

    @Test
    void fetchManifest_fails_onOtherImageFailures() {
        stub.answer("BatchGetImage", "{\"images\":[],\"failures\":[{\"imageId\":{\"imageTag\":\"tag-1\"},"
                + "\"failureCode\":\"ImageTagDoesNotMatchDigest\",\"failureReason\":\"mismatch\"}]}");

        assertThatThrownBy(() -> client.fetchManifest(REPO, "tag-1"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("ImageTagDoesNotMatchDigest")
                .matches(e -> !((RegistryException) e).retryable());
    }

    @Test
    void fetchManifest_refusesAManifestWhoseBytesDoNotHashToItsDigest() {
        stub.answer("BatchGetImage", image(MANIFEST, "tag-1").replace(MANIFEST.digest().hex(), "0".repeat(64)));

        assertThatThrownBy(() -> client.fetchManifest(REPO, "tag-1"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("hash to " + MANIFEST.digest());
    }

    @Test
    void fetchManifest_anImageWithoutItsManifest_failsWithoutRetry_soTheAlertSaysWhy() {
        stub.answer("BatchGetImage", "{\"images\":[{\"registryId\":\"123456789012\",\"repositoryName\":\"shop-api\","
                + "\"imageId\":{\"imageTag\":\"tag-1\"}}],\"failures\":[]}");

        assertThatThrownBy(() -> client.fetchManifest(REPO, "tag-1"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("without its manifest")
                .matches(e -> !((RegistryException) e).retryable());
    }

    // ---- GetDownloadUrlForLayer + HTTPS GET

    @Test
    void fetchBlob_downloadsFromThePresignedUrl_andVerifiesTheDigest() {
        stub.answer("GetDownloadUrlForLayer", "{\"downloadUrl\":\"" + stub.server.baseUrl() + "/blobs/config?X-Amz-"
                + "Signature=abc\",\"layerDigest\":\"" + CONFIG_DIGEST + "\"}");
        stub.server.stubFor(get("/blobs/config?X-Amz-Signature=abc")
                .willReturn(aResponse().withStatus(200).withBody(CONFIG)));

        assertThat(client.fetchBlob(REPO, CONFIG_DIGEST)).hasValueSatisfying(b -> assertThat(b).isEqualTo(CONFIG));
        assertThat(stub.body("GetDownloadUrlForLayer").get("layerDigest").asText()).isEqualTo(CONFIG_DIGEST.value());
    }

    @Test
    void fetchBlob_fails_retryably_whenTheDownloadDoesNotMatchTheDigest() {
        stub.answer("GetDownloadUrlForLayer", "{\"downloadUrl\":\"" + stub.server.baseUrl() + "/blobs/config\"}");
        stub.server.stubFor(get("/blobs/config").willReturn(aResponse().withStatus(200).withBody("tampered")));

        assertThatThrownBy(() -> client.fetchBlob(REPO, CONFIG_DIGEST))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("hashes to")
                .matches(e -> ((RegistryException) e).retryable());
    }

    @Test
    void fetchBlob_fails_retryably_whenThePresignedUrlIsRejected() {
        stub.answer("GetDownloadUrlForLayer", "{\"downloadUrl\":\"" + stub.server.baseUrl() + "/blobs/config\"}");
        stub.server.stubFor(get("/blobs/config").willReturn(aResponse().withStatus(403)));

        assertThatThrownBy(() -> client.fetchBlob(REPO, CONFIG_DIGEST))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("HTTP 403")
                .matches(e -> ((RegistryException) e).retryable());
    }

    @Test
    void fetchBlob_isEmpty_whenTheLayerIsNotFound() {
        stub.fail("GetDownloadUrlForLayer", 400, "LayersNotFoundException", "not found");

        assertThat(client.fetchBlob(REPO, CONFIG_DIGEST)).isEmpty();
    }

    // ---- BatchCheckLayerAvailability, InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload

    private void layerUnavailable() {
        stub.answer("BatchCheckLayerAvailability", "{\"layers\":[],\"failures\":[{\"layerDigest\":\""
                + CONFIG_DIGEST + "\",\"failureCode\":\"MissingLayerDigest\"}]}");
    }

    @Test
    void pushBlob_checksInitiatesUploadsAndCompletes_inThatOrder() {
        layerUnavailable();
        stub.answer("InitiateLayerUpload", "{\"uploadId\":\"up-1\",\"partSize\":10485760}");
        stub.answer("UploadLayerPart", "{\"uploadId\":\"up-1\",\"lastByteReceived\":" + (CONFIG.length - 1) + "}");
        stub.answer("CompleteLayerUpload", "{\"uploadId\":\"up-1\",\"layerDigest\":\"" + CONFIG_DIGEST + "\"}");

        client.pushBlob(REPO, CONFIG_DIGEST, CONFIG);

        assertThat(stub.operations()).containsExactly("BatchCheckLayerAvailability", "InitiateLayerUpload",
                "UploadLayerPart", "CompleteLayerUpload");
        JsonNode part = stub.body("UploadLayerPart");
        assertThat(part.get("uploadId").asText()).isEqualTo("up-1");
        assertThat(part.get("partFirstByte").asLong()).isZero();
        assertThat(part.get("partLastByte").asLong()).isEqualTo(CONFIG.length - 1);
        assertThat(Base64.getDecoder().decode(part.get("layerPartBlob").asText())).isEqualTo(CONFIG);
        JsonNode complete = stub.body("CompleteLayerUpload");
        assertThat(complete.get("layerDigests")).extracting(JsonNode::asText).containsExactly(CONFIG_DIGEST.value());
    }

    @Test
    void pushBlob_sendsOnePartPerPartSizeEcrAsksFor() {
        layerUnavailable();
        stub.answer("InitiateLayerUpload", "{\"uploadId\":\"up-1\",\"partSize\":20}");
        stub.answer("UploadLayerPart", "{\"uploadId\":\"up-1\"}");
        stub.answer("CompleteLayerUpload", "{\"uploadId\":\"up-1\"}");

        client.pushBlob(REPO, CONFIG_DIGEST, CONFIG);

        List<JsonNode> parts = stub.bodies("UploadLayerPart");
        assertThat(parts).hasSize((CONFIG.length + 19) / 20);
        assertThat(parts.get(1).get("partFirstByte").asLong()).isEqualTo(20);
        assertThat(parts.get(1).get("partLastByte").asLong()).isEqualTo(39);
    }

    @Test
    void pushBlob_skipsTheUpload_whenTheLayerIsAlreadyAvailable() {
        stub.answer("BatchCheckLayerAvailability", "{\"layers\":[{\"layerDigest\":\"" + CONFIG_DIGEST
                + "\",\"layerAvailability\":\"AVAILABLE\",\"layerSize\":" + CONFIG.length + "}],\"failures\":[]}");

        client.pushBlob(REPO, CONFIG_DIGEST, CONFIG);

        assertThat(stub.operations()).containsExactly("BatchCheckLayerAvailability");
    }

    @Test
    void pushBlob_succeeds_whenCompleteSaysTheLayerAlreadyExists() {
        layerUnavailable();
        stub.answer("InitiateLayerUpload", "{\"uploadId\":\"up-1\",\"partSize\":10485760}");
        stub.answer("UploadLayerPart", "{\"uploadId\":\"up-1\"}");
        stub.fail("CompleteLayerUpload", 400, "LayerAlreadyExistsException", "exists");

        client.pushBlob(REPO, CONFIG_DIGEST, CONFIG);

        assertThat(stub.operations()).endsWith("CompleteLayerUpload");
    }

    @Test
    void pushBlob_rejectsContentThatDoesNotMatchTheDigest_beforeAnyCall() {
        assertThatThrownBy(() -> client.pushBlob(REPO, CONFIG_DIGEST, "other".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(stub.operations()).isEmpty();
    }

    // ---- PutImage

    @Test
    void pushManifest_sendsManifestMediaTypeDigestAndTag() {
        stub.answer("PutImage", image(MANIFEST, "tag-2"));

        assertThat(client.pushManifest(REPO, Optional.of(Tag.of("tag-2")), MANIFEST)).isEqualTo(PushOutcome.CREATED);

        JsonNode body = stub.body("PutImage");
        assertThat(body.get("repositoryName").asText()).isEqualTo("team/app");
        assertThat(body.get("imageManifest").asText()).isEqualTo(MANIFEST_TEXT);
        assertThat(body.get("imageManifestMediaType").asText()).isEqualTo(DOCKER);
        assertThat(body.get("imageDigest").asText()).isEqualTo(MANIFEST.digest().value());
        assertThat(body.get("imageTag").asText()).isEqualTo("tag-2");
    }

    @Test
    void pushManifest_withoutTag_sendsNoTag() {
        stub.answer("PutImage", image(MANIFEST, null));

        client.pushManifest(REPO, Optional.empty(), MANIFEST);

        assertThat(stub.body("PutImage").has("imageTag")).isFalse();
    }

    @Test
    void pushManifest_reportsAlreadyExisted_onImageAlreadyExists() {
        stub.fail("PutImage", 400, "ImageAlreadyExistsException", "Image with digest and tag already exists");

        assertThat(client.pushManifest(REPO, Optional.of(Tag.of("tag-2")), MANIFEST))
                .isEqualTo(PushOutcome.ALREADY_EXISTED);
    }

    @Test
    void pushManifest_failsWithoutRetry_whenTheTagIsImmutable() {
        stub.fail("PutImage", 400, "ImageTagAlreadyExistsException", "The image tag 'tag-2' already exists");

        assertThatThrownBy(() -> client.pushManifest(REPO, Optional.of(Tag.of("tag-2")), MANIFEST))
                .isInstanceOf(ImmutableTagException.class)
                .hasMessageContaining("ImageTagAlreadyExistsException")
                .matches(e -> !((RegistryException) e).retryable());
        assertThat(stub.operations()).containsExactly("PutImage");
    }

    @Test
    void pushManifest_failsWithoutRetry_whenEcrRejectsTheManifest() {
        stub.fail("PutImage", 400, "InvalidParameterException", "Invalid parameter at 'imageManifest'");

        assertThatThrownBy(() -> client.pushManifest(REPO, Optional.of(Tag.of("tag-2")), MANIFEST))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("ecr:PutImage").hasMessageContaining("InvalidParameterException")
                .matches(e -> !((RegistryException) e).retryable());
    }

    @Test
    void pushManifest_failsRetryably_whenReferencedLayersAreNotFoundYet() {
        stub.fail("PutImage", 400, "LayersNotFoundException", "layers not found");

        assertThatThrownBy(() -> client.pushManifest(REPO, Optional.of(Tag.of("tag-2")), MANIFEST))
                .isInstanceOf(RegistryException.class)
                .matches(e -> ((RegistryException) e).retryable());
    }

    @Test
    void pushManifest_failsRetryably_onServerErrors_afterTheSdksOwnRetries() {
        stub.fail("PutImage", 500, "ServerException", "internal");

        assertThatThrownBy(() -> client.pushManifest(REPO, Optional.of(Tag.of("tag-2")), MANIFEST))
                .isInstanceOf(RegistryException.class)
                .matches(e -> ((RegistryException) e).retryable());
        assertThat(stub.operations()).hasSizeGreaterThan(1).containsOnly("PutImage");
    }

    @Test
    void anyCall_failsWithoutRetry_andNamesTheAction_whenAccessIsDenied() {
        stub.fail("PutImage", 403, "AccessDeniedException", "not authorized to perform: ecr:PutImage");

        assertThatThrownBy(() -> client.pushManifest(REPO, Optional.of(Tag.of("tag-2")), MANIFEST))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("allows ecr:PutImage")
                .matches(e -> !((RegistryException) e).retryable());
    }

    // ---- DescribeImages, ListImageReferrers

    @Test
    void listTags_readsEveryPageOfTaggedImages() {
        stub.server.stubFor(EcrStub.call("DescribeImages")
                .withRequestBody(notContaining("nextToken"))
                .willReturn(aResponse().withStatus(200).withBody("{\"imageDetails\":[{\"imageDigest\":\""
                        + MANIFEST.digest() + "\",\"imageTags\":[\"tag-1\",\"latest\"],\"imagePushedAt\":1700000000}],"
                        + "\"nextToken\":\"page-2\"}")));
        stub.server.stubFor(EcrStub.call("DescribeImages")
                .withRequestBody(containing("page-2"))
                .willReturn(aResponse().withStatus(200).withBody("{\"imageDetails\":[{\"imageDigest\":\""
                        + CONFIG_DIGEST + "\",\"imageTags\":[\"tag-2\"],\"imagePushedAt\":1700000001}]}")));

        assertThat(client.listTags(REPO)).containsExactly(Tag.of("tag-1"), Tag.of("latest"), Tag.of("tag-2"));
        assertThat(stub.operations()).containsExactly("DescribeImages", "DescribeImages");
        assertThat(stub.bodies("DescribeImages").get(0).get("filter").get("tagStatus").asText()).isEqualTo("TAGGED");
    }

    @Test
    void tagsOf_readsTheTagsOfOneDigest_withDescribeImages() {
        stub.answer("DescribeImages", "{\"imageDetails\":[{\"imageDigest\":\"" + MANIFEST.digest()
                + "\",\"imageTags\":[\"tag-1\",\"latest\",\"tag-2\"],\"imagePushedAt\":1700000000}]}");

        List<Tag> tags = client.tagsOf(REPO, MANIFEST.digest(), ProductionTags.parse("tag-*")::isProduction);

        assertThat(tags).containsExactly(Tag.of("tag-1"), Tag.of("tag-2"));
        assertThat(stub.body("DescribeImages").get("imageIds").get(0).get("imageDigest").asText())
                .isEqualTo(MANIFEST.digest().value());
    }

    @Test
    void referrers_listsEveryReferrerOfAnyStatus() {
        Digest signature = Digest.sha256("sig".getBytes(StandardCharsets.UTF_8));
        stub.answer("ListImageReferrers", "{\"referrers\":[{\"digest\":\"" + signature + "\",\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":"
                + "\"application/vnd.dev.cosign.artifact.sig.v1+json\",\"size\":100,\"artifactStatus\":\"ACTIVE\"}]}");

        assertThat(client.referrers(REPO, MANIFEST.digest())).containsExactly(signature);
        JsonNode body = stub.body("ListImageReferrers");
        assertThat(body.get("subjectId").get("imageDigest").asText()).isEqualTo(MANIFEST.digest().value());
        assertThat(body.get("filter").get("artifactStatus").asText()).isEqualTo("ANY");
    }

    // ---- DescribeRepositories

    private void repository(String mutability, String filters) {
        stub.answer("DescribeRepositories", "{\"repositories\":[{\"repositoryName\":\"team/app\","
                + "\"imageTagMutability\":\"" + mutability + "\""
                + (filters == null ? "" : ",\"imageTagMutabilityExclusionFilters\":" + filters) + "}]}");
    }

    @Test
    void tagMutability_isImmutable_forAnImmutableRepository() {
        repository("IMMUTABLE", null);

        assertThat(client.tagMutability(REPO, Tag.of("tag-2"))).isEqualTo(TagMutability.IMMUTABLE);
        assertThat(stub.body("DescribeRepositories").get("repositoryNames").get(0).asText()).isEqualTo("team/app");
    }

    @Test
    void tagMutability_isMutable_whenAnExclusionFilterFreesTheTag() {
        repository("IMMUTABLE_WITH_EXCLUSION", "[{\"filterType\":\"WILDCARD\",\"filter\":\"tag-*\"}]");

        assertThat(client.tagMutability(REPO, Tag.of("tag-2"))).isEqualTo(TagMutability.MUTABLE);
    }

    @Test
    void tagMutability_isImmutable_whenNoExclusionFilterFreesTheTag() {
        repository("IMMUTABLE_WITH_EXCLUSION", "[{\"filterType\":\"WILDCARD\",\"filter\":\"dev-*\"}]");

        assertThat(client.tagMutability(REPO, Tag.of("tag-2"))).isEqualTo(TagMutability.IMMUTABLE);
    }

    @Test
    void tagMutability_isImmutable_whenAnExclusionFilterFixesAMutableRepositorysTag() {
        repository("MUTABLE_WITH_EXCLUSION", "[{\"filterType\":\"WILDCARD\",\"filter\":\"tag-*-release\"}]");

        assertThat(client.tagMutability(REPO, Tag.of("tag-2-release"))).isEqualTo(TagMutability.IMMUTABLE);
    }

    @Test
    void tagMutability_isMutable_forAMutableRepository() {
        repository("MUTABLE", null);

        assertThat(client.tagMutability(REPO, Tag.of("tag-2"))).isEqualTo(TagMutability.MUTABLE);
    }

    // ---- the whole re-tag, as ECR sees it

    @Test
    void retag_callsEcrInTheExpectedOrder_andMovesTheTagWithOnePutImage() {
        // GIVEN tag-2 shares the digest of tag-1 in a mutable repository, unsigned
        stub.server.stubFor(EcrStub.call("BatchGetImage")
                .withRequestBody(containing("\"imageTag\":\"tag-2\""))
                .willReturn(aResponse().withStatus(200).withBody(image(MANIFEST, "tag-2"))));
        stub.server.stubFor(EcrStub.call("BatchGetImage")
                .withRequestBody(containing(".sig\""))
                .willReturn(aResponse().withStatus(200).withBody("{\"images\":[],\"failures\":[{\"failureCode\":"
                        + "\"ImageNotFound\",\"failureReason\":\"not found\"}]}")));
        stub.server.stubFor(EcrStub.call("BatchGetImage")
                .withRequestBody(containing(".att\""))
                .willReturn(aResponse().withStatus(200).withBody("{\"images\":[],\"failures\":[{\"failureCode\":"
                        + "\"ImageNotFound\",\"failureReason\":\"not found\"}]}")));
        stub.answer("GetDownloadUrlForLayer", "{\"downloadUrl\":\"" + stub.server.baseUrl() + "/blobs/config\"}");
        stub.server.stubFor(get("/blobs/config").willReturn(aResponse().withStatus(200).withBody(CONFIG)));
        stub.answer("DescribeImages", "{\"imageDetails\":[{\"imageDigest\":\"" + MANIFEST.digest()
                + "\",\"imageTags\":[\"tag-1\",\"tag-2\"],\"imagePushedAt\":1700000000}]}");
        repository("MUTABLE", null);
        stub.answer("ListImageReferrers", "{\"referrers\":[]}");
        layerUnavailable();
        stub.answer("InitiateLayerUpload", "{\"uploadId\":\"up-1\",\"partSize\":10485760}");
        stub.answer("UploadLayerPart", "{\"uploadId\":\"up-1\"}");
        stub.answer("CompleteLayerUpload", "{\"uploadId\":\"up-1\"}");
        stub.answer("PutImage", "{}");

        // WHEN
        RetagOutcome outcome = new Retagger(client, new FakeRewriting(), ProductionTags.parse("tag-*"), false)
                .retag(REPO, Tag.of("tag-2"), Optional.of(MANIFEST.digest()), false);

        // THEN
        assertThat(outcome).isInstanceOf(RetagOutcome.Retagged.class);
        assertThat(stub.operations()).containsExactly(
                "BatchGetImage",                // the tag's manifest
                "GetDownloadUrlForLayer",       // its config: is it already our rewrite?
                "DescribeImages",               // which production tags share the digest
                "DescribeRepositories",         // may the tag move?
                "ListImageReferrers",           // signed or attested?
                "BatchGetImage", "BatchGetImage", // cosign .sig / .att tags
                "GetDownloadUrlForLayer",       // the config again, for the rewrite
                "BatchCheckLayerAvailability", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload",
                "PutImage");                    // the one call that moves the tag
        JsonNode put = stub.body("PutImage");
        assertThat(put.get("imageTag").asText()).isEqualTo("tag-2");
        assertThat(put.get("imageDigest").asText())
                .isEqualTo(((RetagOutcome.Retagged) outcome).toDigest().value());
    }
}
