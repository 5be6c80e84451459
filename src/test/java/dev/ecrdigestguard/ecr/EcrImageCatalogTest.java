package dev.ecrdigestguard.ecr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.ecrdigestguard.testing.LocalAws.ECR_TARGET;
import static dev.ecrdigestguard.testing.Pushes.DIGEST;
import static dev.ecrdigestguard.testing.Pushes.REPOSITORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.testing.LocalAws;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ecr.EcrClient;

/** The ECR adapter with the real SDK client, against a local server that answers as ECR's JSON 1.1 API does. */
class EcrImageCatalogTest {

    static final String DESCRIBE_IMAGES_RESPONSE = """
            {"imageDetails":[{"registryId":"123456789012","repositoryName":"shop-api",
              "imageDigest":"sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c",
              "imageTags":["git-325dc21f","tag-1-252-0","tag-1-253-0"],"imageSizeInBytes":98345123,
              "imagePushedAt":1.67109824E9,"lastRecordedPullTime":1.671699731318E9,
              "imageManifestMediaType":"application/vnd.docker.distribution.manifest.v2+json",
              "artifactMediaType":"application/vnd.docker.container.image.v1+json"}]}
            """;
    static final String DESCRIBE_IMAGES_REQUEST = """
            {"repositoryName":"shop-api",
             "imageIds":[{"imageDigest":"sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c"}]}
            """;

    private LocalAws aws;
    private WireMockServer server;
    private EcrClient client;
    private EcrImageCatalog catalog;

    @BeforeEach
    void startLocalEcr() {
        aws = LocalAws.start();
        server = aws.server();
        client = AwsClients.newEcrClient();
        catalog = new EcrImageCatalog(client);
    }

    @AfterEach
    void stop() {
        client.close();
        aws.close();
    }

    static MappingBuilder ecr(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECR_TARGET + operation));
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    static ResponseDefinitionBuilder error(int status, String type, String message) {
        return json(status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }

    @Test
    void describeImage_sendsDescribeImagesByDigest_andMapsTheImage() {
        server.stubFor(ecr("DescribeImages").willReturn(json(200, DESCRIBE_IMAGES_RESPONSE)));

        Optional<ImageRecord> image = catalog.describeImage(REPOSITORY, DIGEST);

        server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(ECR_TARGET + "DescribeImages"))
                .withHeader("Content-Type", equalTo("application/x-amz-json-1.1"))
                .withRequestBody(equalToJson(DESCRIBE_IMAGES_REQUEST)));
        assertThat(image).hasValueSatisfying(record -> {
            assertThat(record.digest()).isEqualTo(DIGEST);
            assertThat(record.tags()).containsExactly(Tag.of("git-325dc21f"), Tag.of("tag-1-252-0"),
                    Tag.of("tag-1-253-0"));
            assertThat(record.pushedAt()).isEqualTo(Instant.ofEpochSecond(1_671_098_240L));
            assertThat(record.lastPulledAt()).contains(Instant.ofEpochMilli(1_671_699_731_318L));
            assertThat(record.manifestMediaType()).contains("application/vnd.docker.distribution.manifest.v2+json");
        });
    }

    @Test
    void describeImage_imageOrRepositoryNotFound_isEmpty() {
        server.stubFor(ecr("DescribeImages").willReturn(error(400, "ImageNotFoundException", "no such image")));
        assertThat(catalog.describeImage(REPOSITORY, DIGEST)).isEmpty();

        server.stubFor(ecr("DescribeImages").willReturn(error(400, "RepositoryNotFoundException", "no such repo")));
        assertThat(catalog.describeImage(REPOSITORY, DIGEST)).isEmpty();
    }

    @Test
    void describeImage_throttling_isRetriedByTheSdk_thenSucceeds() {
        server.stubFor(ecr("DescribeImages").inScenario("throttled").whenScenarioStateIs(STARTED)
                .willReturn(error(400, "ThrottlingException", "Rate exceeded")).willSetStateTo("calm"));
        server.stubFor(ecr("DescribeImages").inScenario("throttled").whenScenarioStateIs("calm")
                .willReturn(json(200, DESCRIBE_IMAGES_RESPONSE)));

        assertThat(catalog.describeImage(REPOSITORY, DIGEST)).isPresent();

        server.verify(2, postRequestedFor(urlEqualTo("/")).withRequestBody(equalToJson(DESCRIBE_IMAGES_REQUEST)));
    }

    @Test
    void describeImage_persistentServerErrors_failRetryably_afterTheSdkRetries() {
        server.stubFor(ecr("DescribeImages").willReturn(error(500, "ServerException", "internal error")));

        CatalogException failure = catchThrowableOfType(CatalogException.class,
                () -> catalog.describeImage(REPOSITORY, DIGEST));

        assertThat(failure.retryable()).isTrue();
        assertThat(failure).hasMessageStartingWith("ecr:DescribeImages on image " + DIGEST)
                .hasMessageContaining("ServerException (HTTP 500)");
        assertThat(server.getAllServeEvents()).hasSizeGreaterThan(1);
    }

    @Test
    void describeImage_timeout_failsRetryably() {
        server.stubFor(ecr("DescribeImages").willReturn(json(200, DESCRIBE_IMAGES_RESPONSE).withFixedDelay(2_000)));
        UrlConnectionHttpClient http = (UrlConnectionHttpClient) UrlConnectionHttpClient.builder()
                .socketTimeout(Duration.ofMillis(200)).build();
        try (EcrClient impatient = AwsClients.newEcrClient(http, ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(Duration.ofMillis(300)).apiCallTimeout(Duration.ofSeconds(2)).build())) {

            CatalogException failure = catchThrowableOfType(CatalogException.class,
                    () -> new EcrImageCatalog(impatient).describeImage(REPOSITORY, DIGEST));

            assertThat(failure.retryable()).isTrue();
            assertThat(failure).hasMessageStartingWith("ecr:DescribeImages");
        } finally {
            http.close();
        }
    }

    @Test
    void describeImage_accessDenied_failsOnce_namingTheAction() {
        server.stubFor(ecr("DescribeImages").willReturn(error(400, "AccessDeniedException",
                "User: arn:aws:sts::123456789012:assumed-role/guard/fn is not authorized to perform: "
                        + "ecr:DescribeImages on resource: arn:aws:ecr:eu-west-1:123456789012:repository/shop-api")));

        CatalogException failure = catchThrowableOfType(CatalogException.class,
                () -> catalog.describeImage(REPOSITORY, DIGEST));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure).hasMessageStartingWith("ecr:DescribeImages on image " + DIGEST + " in repository 'shop-api'")
                .hasMessageContaining("AccessDeniedException")
                .hasMessageContaining("allows ecr:DescribeImages");
        server.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void lifecyclePolicyText_sendsGetLifecyclePolicy_andAbsentPolicyIsEmpty() {
        server.stubFor(ecr("GetLifecyclePolicy").willReturn(json(200,
                "{\"registryId\":\"123456789012\",\"repositoryName\":\"shop-api\",\"lifecyclePolicyText\":\"{\\\"rules\\\":[]}\"}")));

        assertThat(catalog.lifecyclePolicyText(REPOSITORY)).contains("{\"rules\":[]}");
        server.verify(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(ECR_TARGET + "GetLifecyclePolicy"))
                .withRequestBody(equalToJson("{\"repositoryName\":\"shop-api\"}")));

        server.stubFor(ecr("GetLifecyclePolicy").willReturn(error(400, "LifecyclePolicyNotFoundException", "none")));
        assertThat(catalog.lifecyclePolicyText(REPOSITORY)).isEmpty();
    }

    @Test
    void forEachImage_followsNextTokens_askingForArchivedImagesToo() {
        server.stubFor(ecr("DescribeImages").withRequestBody(equalToJson(
                        "{\"repositoryName\":\"shop-api\",\"filter\":{\"imageStatus\":\"ANY\"},\"maxResults\":1000}"))
                .willReturn(json(200, DESCRIBE_IMAGES_RESPONSE.replace("{\"imageDetails\"",
                        "{\"nextToken\":\"page-2\",\"imageDetails\""))));
        server.stubFor(ecr("DescribeImages").withRequestBody(equalToJson(
                        "{\"repositoryName\":\"shop-api\",\"filter\":{\"imageStatus\":\"ANY\"},\"maxResults\":1000,"
                                + "\"nextToken\":\"page-2\"}"))
                .willReturn(json(200, "{\"imageDetails\":[{\"imageDigest\":\"sha256:" + "0".repeat(64)
                        + "\",\"imagePushedAt\":1.6E9,\"imageStatus\":\"ARCHIVED\"}]}")));

        List<ImageRecord> images = new ArrayList<>();
        catalog.forEachImage(REPOSITORY, images::add);

        assertThat(images).hasSize(2);
        assertThat(images.get(1).storageClass()).isEqualTo(ImageRecord.StorageClass.ARCHIVE);
        assertThat(images.get(1).isTagged()).isFalse();
    }
}
