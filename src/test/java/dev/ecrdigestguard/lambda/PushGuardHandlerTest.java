package dev.ecrdigestguard.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.ecrdigestguard.testing.LocalAws.ECR_TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.ecrdigestguard.alert.NotificationException;
import dev.ecrdigestguard.config.ConfigurationException;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.testing.FakeContext;
import dev.ecrdigestguard.testing.LocalAws;
import dev.ecrdigestguard.testing.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole invocations as the runtime makes them: the raw bytes of an {@code events/} file as the input stream, the
 * handler built with the runtime's wiring (real SDK clients, built on the first production push), and a local
 * server answering as ECR and SNS.
 */
class PushGuardHandlerTest {

    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:ecr-digest-guard";
    private static final String COLLISION_IMAGE = """
            {"imageDetails":[{"registryId":"123456789012","repositoryName":"shop-api",
              "imageDigest":"sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c",
              "imageTags":["git-325dc21f","git-684254dd","git-a714d9b2","tag-1-252-0","tag-1-253-0"],
              "imagePushedAt":1.67109824E9}]}
            """;
    private static final String UNIQUE_IMAGE = """
            {"imageDetails":[{"registryId":"123456789012","repositoryName":"shop-api",
              "imageDigest":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
              "imageTags":["git-77e1c0de","tag-1-254-0"],"imagePushedAt":1.67178256E9}]}
            """;
    private static final String PUBLISH_RESPONSE = "<PublishResponse><PublishResult><MessageId>m-1</MessageId>"
            + "</PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>";

    private LocalAws aws;
    private WireMockServer server;
    private PushGuardHandler handler;

    @BeforeEach
    void startLocalAws() {
        aws = LocalAws.start();
        server = aws.server();
        handler = new PushGuardHandler(GuardConfig.forFunction(Map.of(
                GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*",
                GuardConfig.ALERT_TOPIC_ARN, TOPIC)));
        // Most repositories in these tests have no lifecycle policy, as ECR reports it.
        server.stubFor(getLifecyclePolicy().willReturn(ecrJson(400,
                "{\"__type\":\"LifecyclePolicyNotFoundException\",\"message\":\"no policy\"}")));
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void collision_describesTheImageOnce_andPublishesOneAlert() throws IOException {
        server.stubFor(describeImages().willReturn(ecrJson(200, COLLISION_IMAGE)));
        server.stubFor(publish().willReturn(aResponse().withStatus(200).withBody(PUBLISH_RESPONSE)));

        String output = invoke(SampleEvents.COLLISION);

        assertThat(output).isEqualTo("{\"outcome\":\"ALERTED\"}");
        server.verify(1, describeImagesRequested().withRequestBody(equalToJson("""
                {"repositoryName":"shop-api",
                 "imageIds":[{"imageDigest":"sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c"}]}
                """)));
        server.verify(1, publishRequested()
                .withRequestBody(containing("TopicArn=" + TOPIC.replace(":", "%3A")))
                .withRequestBody(containing("MessageStructure=json"))
                .withRequestBody(containing("tag-1-252-0")));
        server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(ECR_TARGET + "GetLifecyclePolicy")));
        server.verify(3, anyRequestedFor(anyUrl()));
    }

    @Test
    void collision_withALifecyclePolicy_readsEveryImage_andAlertsOnTheExpiry() throws IOException {
        // GIVEN a policy keeping 1 production image, and a later release that outranks the shared digest
        server.stubFor(getLifecyclePolicy().willReturn(ecrJson(200, """
                {"registryId":"123456789012","repositoryName":"shop-api","lifecyclePolicyText":
                 "{\\"rules\\":[{\\"rulePriority\\":1,\\"description\\":\\"Keep last production image\\",\\"selection\\":{\\"tagStatus\\":\\"tagged\\",\\"tagPrefixList\\":[\\"tag\\"],\\"countType\\":\\"imageCountMoreThan\\",\\"countNumber\\":1},\\"action\\":{\\"type\\":\\"expire\\"}}]}"}
                """)));
        server.stubFor(describeImages().withRequestBody(containing("imageIds"))
                .willReturn(ecrJson(200, COLLISION_IMAGE)));
        server.stubFor(describeImages().withRequestBody(containing("filter")).willReturn(ecrJson(200, """
                {"imageDetails":[{"imageDigest":"sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c",
                  "imageTags":["tag-1-252-0","tag-1-253-0"],"imagePushedAt":1.67109824E9},
                 {"imageDigest":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                  "imageTags":["tag-1-252-1"],"imagePushedAt":1.6712E9}]}
                """)));
        server.stubFor(publish().willReturn(aResponse().withStatus(200).withBody(PUBLISH_RESPONSE)));

        // WHEN
        String output = invoke(SampleEvents.COLLISION);

        // THEN
        assertThat(output).isEqualTo("{\"outcome\":\"ALERTED\"}");
        server.verify(1, describeImagesRequested().withRequestBody(containing("filter")));
        server.verify(1, publishRequested().withRequestBody(containing("lifecycle+rule+1")));
    }

    @Test
    void slowListingPages_stopAtTheDeadline_andTheSharedDigestIsStillPublished_inTime() throws IOException {
        // GIVEN a policy, and a repository listing whose pages take 1.5 s each and never end
        server.stubFor(getLifecyclePolicy().willReturn(ecrJson(200, """
                {"registryId":"123456789012","repositoryName":"shop-api","lifecyclePolicyText":
                 "{\\"rules\\":[{\\"rulePriority\\":1,\\"selection\\":{\\"tagStatus\\":\\"any\\",\\"countType\\":\\"imageCountMoreThan\\",\\"countNumber\\":5},\\"action\\":{\\"type\\":\\"expire\\"}}]}"}
                """)));
        server.stubFor(describeImages().withRequestBody(containing("imageIds"))
                .willReturn(ecrJson(200, COLLISION_IMAGE)));
        server.stubFor(describeImages().withRequestBody(containing("filter")).willReturn(ecrJson(200, """
                {"imageDetails":[{"imageDigest":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                  "imageTags":["git-1"],"imagePushedAt":1.6712E9}],"nextToken":"{{randomValue length=12 type='ALPHANUMERIC'}}"}
                """).withTransformers("response-template").withFixedDelay(1_500)));
        server.stubFor(publish().willReturn(aResponse().withStatus(200).withBody(PUBLISH_RESPONSE)));

        // WHEN the function has 10 s: 2 s are kept to finish, 4 s of the rest for alerting
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        long started = System.nanoTime();
        handler.handleRequest(new ByteArrayInputStream(SampleEvents.bytes(SampleEvents.COLLISION)), output,
                new FakeContext("req-deadline", "ecr-digest-guard", 10_000));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        // THEN the walk stopped after a few pages, the shared digest went out, and the invocation ended in time
        assertThat(output.toString(StandardCharsets.UTF_8)).isEqualTo("{\"outcome\":\"ALERTED\"}");
        assertThat(tookMillis).isLessThan(8_000);
        server.verify(1, publishRequested().withRequestBody(containing("SHARED_DIGEST")));
        assertThat(server.countRequestsMatching(describeImagesRequested().withRequestBody(containing("filter"))
                .build()).getCount()).isBetween(2, 5);
    }

    @Test
    void productionTagWithADigestOfItsOwn_describesTheImage_andPublishesNothing() throws IOException {
        server.stubFor(describeImages().willReturn(ecrJson(200, UNIQUE_IMAGE)));

        assertThat(invoke(SampleEvents.PRODUCTION_UNIQUE)).isEqualTo("{\"outcome\":\"CLEAN\"}");

        server.verify(1, describeImagesRequested());
        server.verify(0, publishRequested());
    }

    static Stream<Arguments> eventsThatNeedNoAwsCall() {
        Stream<Arguments> notProduction = SampleEvents.NOT_PRODUCTION.stream()
                .map(file -> Arguments.of(file, "NOT_PRODUCTION"));
        Stream<Arguments> ignored = SampleEvents.IGNORED.stream().map(file -> Arguments.of(file, "IGNORED"));
        Stream<Arguments> malformed = SampleEvents.MALFORMED.stream().map(file -> Arguments.of(file, "MALFORMED"));
        return Stream.concat(notProduction, Stream.concat(ignored, malformed));
    }

    @ParameterizedTest(name = "{0} → {1}, no request")
    @MethodSource("eventsThatNeedNoAwsCall")
    void event_returnsNormally_withoutASingleRequest(String file, String outcome) throws IOException {
        assertThat(invoke(file)).isEqualTo("{\"outcome\":\"" + outcome + "\"}");

        server.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void ecrServerErrors_failTheInvocation_soLambdaRetries() {
        server.stubFor(describeImages().willReturn(ecrJson(503, "{\"__type\":\"ServerException\",\"message\":\"x\"}")));

        assertThatThrownBy(() -> invoke(SampleEvents.COLLISION))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.retryable()).isTrue());
        server.verify(0, publishRequested());
    }

    @Test
    void snsServerErrors_failTheInvocation_soLambdaRetries() {
        server.stubFor(describeImages().willReturn(ecrJson(200, COLLISION_IMAGE)));
        server.stubFor(publish().willReturn(aResponse().withStatus(500).withBody(
                "<ErrorResponse><Error><Code>InternalError</Code><Message>x</Message></Error></ErrorResponse>")));

        assertThatThrownBy(() -> invoke(SampleEvents.COLLISION))
                .isInstanceOfSatisfying(NotificationException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void runtimeConstructor_withoutSettings_stopsInitialisation_namingTheVariable() {
        // Like a function deployed without the template's variables (Surefire removes them from the build's shell).
        assertThatThrownBy(PushGuardHandler::new).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(GuardConfig.PRODUCTION_TAG_PATTERNS);
    }

    private String invoke(String file) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        // The handler reads no Context field; the runtime's context object is not needed here.
        handler.handleRequest(new ByteArrayInputStream(SampleEvents.bytes(file)), output, null);
        return output.toString(StandardCharsets.UTF_8);
    }

    private static MappingBuilder describeImages() {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECR_TARGET + "DescribeImages"));
    }

    private static MappingBuilder getLifecyclePolicy() {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECR_TARGET + "GetLifecyclePolicy"));
    }

    private static RequestPatternBuilder describeImagesRequested() {
        return postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECR_TARGET + "DescribeImages"));
    }

    private static MappingBuilder publish() {
        return post(urlEqualTo("/")).withRequestBody(containing("Action=Publish"));
    }

    private static RequestPatternBuilder publishRequested() {
        return postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=Publish"));
    }

    private static ResponseDefinitionBuilder ecrJson(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }
}
