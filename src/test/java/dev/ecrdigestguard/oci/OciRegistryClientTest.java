package dev.ecrdigestguard.oci;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.manifest.MediaTypes;
import dev.ecrdigestguard.registry.ImageRegistry.PushOutcome;
import dev.ecrdigestguard.registry.ImageRegistry.TagMutability;
import dev.ecrdigestguard.registry.RegistryException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The adapter at the HTTP level: what it sends, and how it reads every answer a registry may give. */
class OciRegistryClientTest {

    @RegisterExtension
    static final WireMockExtension SERVER = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final RepositoryName REPOSITORY = RepositoryName.of("team/app");
    static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    static final Digest MANIFEST_DIGEST = Digest.sha256(MANIFEST);
    static final byte[] BLOB = "{\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8);
    static final Digest BLOB_DIGEST = Digest.sha256(BLOB);

    OciRegistryClient client(RegistryCredentials credentials) {
        return OciRegistryClient.create(URI.create(SERVER.baseUrl()), credentials, Duration.ofSeconds(5));
    }

    OciRegistryClient client() {
        return client(RegistryCredentials.anonymous());
    }

    @Nested
    class Manifests {

        @Test
        void fetchManifest_acceptsEveryManifestType_andKeepsTheServedBytesAndType() {
            SERVER.stubFor(get("/v2/team/app/manifests/v1.0.0").willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                    .withHeader("Docker-Content-Digest", MANIFEST_DIGEST.value()).withBody(MANIFEST)));

            Optional<Manifest> manifest = client().fetchManifest(REPOSITORY, "v1.0.0");

            assertThat(manifest).hasValueSatisfying(found -> {
                assertThat(found.bytes()).isEqualTo(MANIFEST);
                assertThat(found.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
                assertThat(found.digest()).isEqualTo(MANIFEST_DIGEST);
            });
            String accept = SERVER.getAllServeEvents().get(0).getRequest().getHeader("Accept");
            assertThat(accept).contains(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST,
                    MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.OCI_ARTIFACT_MANIFEST);
        }

        @Test
        void fetchManifest_isEmpty_whenTheRegistryAnswers404() {
            SERVER.stubFor(get("/v2/team/app/manifests/v9").willReturn(aResponse().withStatus(404)
                    .withBody("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}")));

            assertThat(client().fetchManifest(REPOSITORY, "v9")).isEmpty();
        }

        @Test
        void fetchManifest_refusesBytesThatDoNotMatchTheRequestedDigest() {
            Digest other = Digest.sha256(new byte[] {7});
            SERVER.stubFor(get("/v2/team/app/manifests/" + other).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_MANIFEST).withBody(MANIFEST)));

            assertThatThrownBy(() -> client().fetchManifest(REPOSITORY, other.value()))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("/v2/team/app/manifests/" + other)
                    .satisfies(e -> assertThat(((RegistryException) e).retryable()).isFalse());
        }

        @Test
        void fetchManifest_rejectsAReferenceThatIsNeitherTagNorDigest() {
            assertThatThrownBy(() -> client().fetchManifest(REPOSITORY, "../../etc"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../../etc");
        }

        @Test
        void pushManifest_putsWithTheManifestsMediaType_underTheTag() {
            SERVER.stubFor(head(urlEqualTo("/v2/team/app/manifests/v1.0.0")).willReturn(aResponse().withStatus(404)));
            SERVER.stubFor(put("/v2/team/app/manifests/v1.0.0").willReturn(aResponse().withStatus(201)
                    .withHeader("Docker-Content-Digest", MANIFEST_DIGEST.value())));

            PushOutcome outcome = client().pushManifest(REPOSITORY, Optional.of(Tag.of("v1.0.0")),
                    Manifest.of(MANIFEST, MediaTypes.OCI_MANIFEST));

            assertThat(outcome).isEqualTo(PushOutcome.CREATED);
            SERVER.verify(putRequestedFor(urlEqualTo("/v2/team/app/manifests/v1.0.0"))
                    .withHeader("Content-Type", equalTo(MediaTypes.OCI_MANIFEST))
                    .withRequestBody(binaryEqualTo(MANIFEST)));
        }

        @Test
        void pushManifest_withoutTag_putsByDigest_andReportsAlreadyExisted_whenTheTargetIsThatDigest() {
            SERVER.stubFor(head(urlEqualTo("/v2/team/app/manifests/" + MANIFEST_DIGEST)).willReturn(aResponse()
                    .withStatus(200).withHeader("Docker-Content-Digest", MANIFEST_DIGEST.value())));

            PushOutcome outcome = client().pushManifest(REPOSITORY, Optional.empty(),
                    Manifest.of(MANIFEST, MediaTypes.OCI_MANIFEST));

            assertThat(outcome).isEqualTo(PushOutcome.ALREADY_EXISTED);
            SERVER.verify(0, putRequestedFor(urlPathEqualTo("/v2/team/app/manifests/" + MANIFEST_DIGEST)));
        }

        @Test
        void pushManifest_failsWithTheRegistrysReason_whenTheManifestIsRejected() {
            SERVER.stubFor(head(urlEqualTo("/v2/team/app/manifests/v1")).willReturn(aResponse().withStatus(404)));
            SERVER.stubFor(put("/v2/team/app/manifests/v1").willReturn(aResponse().withStatus(400)
                    .withBody("{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"manifest invalid\"}]}")));

            assertThatThrownBy(() -> client().pushManifest(REPOSITORY, Optional.of(Tag.of("v1")),
                    Manifest.of(MANIFEST, MediaTypes.OCI_MANIFEST)))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("PUT /v2/team/app/manifests/v1")
                    .hasMessageContaining("400")
                    .hasMessageContaining("MANIFEST_INVALID");
        }
    }

    @Nested
    class Blobs {

        @Test
        void fetchBlob_returnsVerifiedContent_followingARedirectWithoutCredentials() {
            SERVER.stubFor(get("/v2/team/app/blobs/" + BLOB_DIGEST).willReturn(aResponse().withStatus(401)
                    .withHeader("WWW-Authenticate", "Basic realm=\"registry\"")));
            SERVER.stubFor(get("/v2/team/app/blobs/" + BLOB_DIGEST).withHeader("Authorization", equalTo("Basic dTpw"))
                    .willReturn(aResponse().withStatus(307).withHeader("Location", "/storage/blob?signature=x")));
            SERVER.stubFor(get("/storage/blob?signature=x").willReturn(aResponse().withStatus(200).withBody(BLOB)));

            Optional<byte[]> content = client(RegistryCredentials.basic("u", "p")).fetchBlob(REPOSITORY, BLOB_DIGEST);

            assertThat(content).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(BLOB));
            SERVER.verify(getRequestedFor(urlEqualTo("/storage/blob?signature=x")).withHeader("Authorization", absent()));
        }

        @Test
        void fetchBlob_failsRetryably_whenTheContentDoesNotMatchItsDigest() {
            SERVER.stubFor(get("/v2/team/app/blobs/" + BLOB_DIGEST).willReturn(aResponse().withStatus(200)
                    .withBody("{\"architecture\":\"arm64\"}")));

            assertThatThrownBy(() -> client().fetchBlob(REPOSITORY, BLOB_DIGEST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining(BLOB_DIGEST.value())
                    .satisfies(e -> assertThat(((RegistryException) e).retryable()).isTrue());
        }

        @Test
        void pushBlob_opensAnUploadThenPutsTheBytesWithTheDigest() {
            SERVER.stubFor(head(urlEqualTo("/v2/team/app/blobs/" + BLOB_DIGEST)).willReturn(aResponse().withStatus(404)));
            SERVER.stubFor(post("/v2/team/app/blobs/uploads/").willReturn(aResponse().withStatus(202)
                    .withHeader("Location", "/v2/team/app/blobs/uploads/u-1?_state=abc")));
            SERVER.stubFor(put(urlPathEqualTo("/v2/team/app/blobs/uploads/u-1")).willReturn(aResponse().withStatus(201)));

            client().pushBlob(REPOSITORY, BLOB_DIGEST, BLOB);

            SERVER.verify(putRequestedFor(urlEqualTo("/v2/team/app/blobs/uploads/u-1?_state=abc&digest="
                    + BLOB_DIGEST.value().replace(":", "%3A")))
                    .withHeader("Content-Type", equalTo("application/octet-stream"))
                    .withRequestBody(binaryEqualTo(BLOB)));
        }

        @Test
        void pushBlob_skipsTheUpload_whenTheRepositoryAlreadyHoldsTheBlob() {
            SERVER.stubFor(head(urlEqualTo("/v2/team/app/blobs/" + BLOB_DIGEST)).willReturn(aResponse().withStatus(200)));

            client().pushBlob(REPOSITORY, BLOB_DIGEST, BLOB);

            SERVER.verify(0, postRequestedFor(urlPathEqualTo("/v2/team/app/blobs/uploads/")));
        }

        @Test
        void pushBlob_rejectsContentThatIsNotTheNamedDigest() {
            assertThatThrownBy(() -> client().pushBlob(REPOSITORY, MANIFEST_DIGEST, BLOB))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class TagsAndReferrers {

        @Test
        void listTags_followsLinkPagination() {
            SERVER.stubFor(get("/v2/team/app/tags/list?n=1000").willReturn(aResponse().withStatus(200)
                    .withHeader("Link", "</v2/team/app/tags/list?last=b&n=1000>; rel=\"next\"")
                    .withBody("{\"name\":\"team/app\",\"tags\":[\"a\",\"b\"]}")));
            SERVER.stubFor(get("/v2/team/app/tags/list?last=b&n=1000").willReturn(aResponse().withStatus(200)
                    .withBody("{\"name\":\"team/app\",\"tags\":[\"c\"]}")));

            assertThat(client().listTags(REPOSITORY)).containsExactly(Tag.of("a"), Tag.of("b"), Tag.of("c"));
        }

        @Test
        void listTags_isEmpty_forARepositoryWithoutTags() {
            SERVER.stubFor(get("/v2/team/app/tags/list?n=1000").willReturn(aResponse().withStatus(200)
                    .withBody("{\"name\":\"team/app\",\"tags\":null}")));

            assertThat(client().listTags(REPOSITORY)).isEmpty();
        }

        @Test
        void referrers_readsTheReferrersApi_whenTheRegistryHasIt() {
            Digest signature = Digest.sha256(new byte[] {1});
            SERVER.stubFor(get("/v2/team/app/referrers/" + MANIFEST_DIGEST).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_INDEX)
                    .withBody("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                            + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + signature
                            + "\",\"size\":10,\"artifactType\":\"application/vnd.dev.cosign.artifact.sig.v1+json\"}]}")));

            assertThat(client().referrers(REPOSITORY, MANIFEST_DIGEST)).containsExactly(signature);
            SERVER.verify(getRequestedFor(urlEqualTo("/v2/team/app/referrers/" + MANIFEST_DIGEST))
                    .withHeader("Accept", equalTo(MediaTypes.OCI_INDEX)));
        }

        @Test
        void referrers_addsCosignTags_toWhatTheReferrersApiReports() {
            Digest fromApi = Digest.sha256(new byte[] {1});
            Digest fromTag = Digest.sha256(new byte[] {2});
            String signatureTag = "sha256-" + MANIFEST_DIGEST.hex() + ".sig";
            SERVER.stubFor(get("/v2/team/app/referrers/" + MANIFEST_DIGEST).willReturn(aResponse().withStatus(200)
                    .withBody("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" + fromApi + "\"}]}")));
            SERVER.stubFor(get("/v2/team/app/tags/list?n=1000").willReturn(aResponse().withStatus(200)
                    .withBody("{\"tags\":[\"" + signatureTag + "\"]}")));
            SERVER.stubFor(head(urlEqualTo("/v2/team/app/manifests/" + signatureTag)).willReturn(aResponse()
                    .withStatus(200).withHeader("Docker-Content-Digest", fromTag.value())));

            assertThat(client().referrers(REPOSITORY, MANIFEST_DIGEST)).containsExactly(fromApi, fromTag);
        }

        @Test
        void referrers_fallsBackToCosignTags_whenTheApiAnswers404() {
            Digest signature = Digest.sha256(new byte[] {1});
            Digest attestation = Digest.sha256(new byte[] {2});
            String prefix = "sha256-" + MANIFEST_DIGEST.hex();
            SERVER.stubFor(get("/v2/team/app/referrers/" + MANIFEST_DIGEST).willReturn(aResponse().withStatus(404)));
            SERVER.stubFor(get("/v2/team/app/tags/list?n=1000").willReturn(aResponse().withStatus(200)
                    .withBody("{\"tags\":[\"v1\",\"" + prefix + ".sig\",\"" + prefix + ".att\",\"sha256-"
                            + "0".repeat(64) + ".sig\"]}")));
            SERVER.stubFor(head(urlEqualTo("/v2/team/app/manifests/" + prefix + ".sig")).willReturn(aResponse()
                    .withStatus(200).withHeader("Docker-Content-Digest", signature.value())));
            SERVER.stubFor(head(urlEqualTo("/v2/team/app/manifests/" + prefix + ".att")).willReturn(aResponse()
                    .withStatus(200).withHeader("Docker-Content-Digest", attestation.value())));

            assertThat(client().referrers(REPOSITORY, MANIFEST_DIGEST)).containsExactly(signature, attestation);
        }

        @Test
        void listTags_aNextLinkToItself_stopsAfterTwoPages() {
            SERVER.stubFor(get("/v2/team/app/tags/list?n=1000").willReturn(aResponse().withStatus(200)
                    .withHeader("Link", "</v2/team/app/tags/list?n=1000>; rel=\"next\"")
                    .withBody("{\"name\":\"team/app\",\"tags\":[\"a\"]}")));

            assertThatThrownBy(() -> client().listTags(REPOSITORY))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith("listing the tags of team/app: the server sent the next-page token")
                    .hasMessageContaining("again after 2 pages")
                    .satisfies(e -> assertThat(((RegistryException) e).retryable()).isFalse());
            SERVER.verify(2, getRequestedFor(urlEqualTo("/v2/team/app/tags/list?n=1000")));
        }

        @Test
        void referrers_aNextLinkCycle_stopsWithoutRetry() {
            SERVER.stubFor(get("/v2/team/app/referrers/" + MANIFEST_DIGEST).willReturn(aResponse().withStatus(200)
                    .withHeader("Link", "</v2/team/app/referrers/" + MANIFEST_DIGEST + "?page=2>; rel=\"next\"")
                    .withBody("{\"schemaVersion\":2,\"manifests\":[]}")));
            SERVER.stubFor(get("/v2/team/app/referrers/" + MANIFEST_DIGEST + "?page=2").willReturn(aResponse()
                    .withStatus(200)
                    .withHeader("Link", "</v2/team/app/referrers/" + MANIFEST_DIGEST + "?page=2>; rel=\"next\"")
                    .withBody("{\"schemaVersion\":2,\"manifests\":[]}")));

            assertThatThrownBy(() -> client().referrers(REPOSITORY, MANIFEST_DIGEST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith("listing the referrers of " + MANIFEST_DIGEST + " in team/app:")
                    .hasMessageContaining("again after 2 pages");
        }

        @Test
        void listTags_aTagNoRegistryAccepts_failsWithoutRetry() {
            SERVER.stubFor(get("/v2/team/app/tags/list?n=1000").willReturn(aResponse().withStatus(200)
                    .withBody("{\"tags\":[\"ok\",\"\\u001b[2J wiped\"]}")));

            assertThatThrownBy(() -> client().listTags(REPOSITORY))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("returned an invalid image tag '\\u001B[2J wiped'");
        }

        @Test
        void tagMutability_isAlwaysMutable_onAPlainRegistry() {
            assertThat(client().tagMutability(REPOSITORY, Tag.of("v1"))).isEqualTo(TagMutability.MUTABLE);
        }
    }

    @Nested
    class Authentication {

        @Test
        void bearerChallenge_fetchesATokenWithTheCredentials_andReusesItForTheScope() {
            SERVER.stubFor(get("/v2/team/app/tags/list?n=1000").willReturn(aResponse().withStatus(401)
                    .withHeader("WWW-Authenticate", "Bearer realm=\"" + SERVER.baseUrl()
                            + "/token\",service=\"registry.test\",scope=\"repository:team/app:pull\"")));
            SERVER.stubFor(get("/v2/team/app/tags/list?n=1000").withHeader("Authorization", equalTo("Bearer t0k3n"))
                    .willReturn(aResponse().withStatus(200).withBody("{\"tags\":[\"v1\"]}")));
            SERVER.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(200)
                    .withBody("{\"token\":\"t0k3n\",\"expires_in\":300}")));
            OciRegistryClient client = client(RegistryCredentials.basic("robot", "secret"));

            assertThat(client.listTags(REPOSITORY)).containsExactly(Tag.of("v1"));
            assertThat(client.listTags(REPOSITORY)).containsExactly(Tag.of("v1"));

            SERVER.verify(1, getRequestedFor(urlPathEqualTo("/token")));
            SERVER.verify(getRequestedFor(urlEqualTo("/token?service=registry.test&scope=repository%3Ateam%2Fapp%3Apull"))
                    .withHeader("Authorization", equalTo("Basic cm9ib3Q6c2VjcmV0")));
        }

        @Test
        void bearerChallenge_asksForPushScope_whenUploading() {
            SERVER.stubFor(head(urlEqualTo("/v2/team/app/blobs/" + BLOB_DIGEST)).willReturn(aResponse().withStatus(200)));
            SERVER.stubFor(head(urlEqualTo("/v2/team/app/manifests/v1")).willReturn(aResponse().withStatus(404)));
            SERVER.stubFor(put("/v2/team/app/manifests/v1").willReturn(aResponse().withStatus(401)
                    .withHeader("WWW-Authenticate", "Bearer realm=\"" + SERVER.baseUrl() + "/token\",service=\"r\"")));
            SERVER.stubFor(put("/v2/team/app/manifests/v1").withHeader("Authorization", equalTo("Bearer push"))
                    .willReturn(aResponse().withStatus(201)));
            SERVER.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(200)
                    .withBody("{\"access_token\":\"push\"}")));

            client().pushManifest(REPOSITORY, Optional.of(Tag.of("v1")), Manifest.of(MANIFEST, MediaTypes.OCI_MANIFEST));

            SERVER.verify(getRequestedFor(urlEqualTo("/token?service=r&scope=repository%3Ateam%2Fapp%3Apull%2Cpush"))
                    .withHeader("Authorization", absent()));
        }

        @Test
        void refusedToken_isRenewedOnce_andARefusalAfterThatFails() {
            SERVER.stubFor(get("/v2/team/app/tags/list?n=1000").inScenario("expiry").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(401)
                            .withHeader("WWW-Authenticate", "Bearer realm=\"" + SERVER.baseUrl() + "/token\"")));
            SERVER.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(200).withBody("{\"token\":\"t\"}")));
            SERVER.stubFor(get("/v2/team/app/tags/list?n=1000").inScenario("expiry").whenScenarioStateIs(Scenario.STARTED)
                    .withHeader("Authorization", equalTo("Bearer t"))
                    .willReturn(aResponse().withStatus(200).withBody("{\"tags\":[]}")).willSetStateTo("expired"));
            SERVER.stubFor(get("/v2/team/app/tags/list?n=1000").inScenario("expiry").whenScenarioStateIs("expired")
                    .willReturn(aResponse().withStatus(401)
                            .withHeader("WWW-Authenticate", "Bearer realm=\"" + SERVER.baseUrl() + "/token\"")));
            OciRegistryClient client = client();

            client.listTags(REPOSITORY);
            assertThatThrownBy(() -> client.listTags(REPOSITORY))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("GET /v2/team/app/tags/list returned HTTP 401");

            SERVER.verify(2, getRequestedFor(urlPathEqualTo("/token")));
        }

        @Test
        void basicChallenge_withoutCredentials_failsSayingCredentialsAreNeeded() {
            SERVER.stubFor(get("/v2/team/app/tags/list?n=1000").willReturn(aResponse().withStatus(401)
                    .withHeader("WWW-Authenticate", "Basic realm=\"registry\"")));

            assertThatThrownBy(() -> client().listTags(REPOSITORY))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("requires a user name and password")
                    .satisfies(e -> assertThat(((RegistryException) e).retryable()).isFalse());
        }
    }

    @Nested
    class Failures {

        @ParameterizedTest(name = "HTTP {0} -> retryable {1}")
        @CsvSource({"429,true", "500,true", "502,true", "503,true", "403,false", "400,false", "405,false"})
        void statuses_mapToRetryableOrNot_andNameThePathAndStatus(int status, boolean retryable) {
            SERVER.stubFor(get("/v2/team/app/manifests/v1").willReturn(aResponse().withStatus(status)));

            assertThatThrownBy(() -> client().fetchManifest(REPOSITORY, "v1"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("GET /v2/team/app/manifests/v1")
                    .hasMessageContaining("HTTP " + status)
                    .satisfies(e -> assertThat(((RegistryException) e).retryable()).isEqualTo(retryable));
        }

        @Test
        void aTimeout_isRetryable() {
            SERVER.stubFor(get("/v2/team/app/manifests/v1").willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
            OciRegistryClient impatient = OciRegistryClient.create(URI.create(SERVER.baseUrl()),
                    RegistryCredentials.anonymous(), Duration.ofMillis(300));

            assertThatThrownBy(() -> impatient.fetchManifest(REPOSITORY, "v1"))
                    .isInstanceOf(RegistryException.class)
                    .satisfies(e -> assertThat(((RegistryException) e).retryable()).isTrue());
        }

        @Test
        void aRefusedConnection_isRetryable() throws Exception {
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            OciRegistryClient nowhere = OciRegistryClient.create(URI.create("http://127.0.0.1:" + closedPort),
                    RegistryCredentials.anonymous());

            assertThatThrownBy(() -> nowhere.listTags(REPOSITORY))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("GET /v2/team/app/tags/list")
                    .satisfies(e -> assertThat(((RegistryException) e).retryable()).isTrue());
        }

        @ParameterizedTest
        @CsvSource({"ftp://host", "http://host/v2/", "host:5000", "http://host?x=1"})
        void create_rejectsAnEndpointThatIsNotAPlainRegistryUrl(String endpoint) {
            assertThatThrownBy(() -> OciRegistryClient.create(URI.create(endpoint), RegistryCredentials.anonymous()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(endpoint);
        }
    }
}
