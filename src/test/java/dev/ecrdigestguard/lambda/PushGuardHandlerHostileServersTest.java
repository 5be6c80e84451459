package dev.ecrdigestguard.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.ecrdigestguard.testing.LocalAws.ECR_TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.testing.CapturedLog;
import dev.ecrdigestguard.testing.FakeContext;
import dev.ecrdigestguard.testing.LocalAws;
import dev.ecrdigestguard.testing.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The collision push against servers that answer badly: next-page tokens that never end, pages that come slowly,
 * 200s with the wrong body, answers far too large. However it ends, it ends in bounded time, and never as a silent
 * success: either the alert went out (SNS answered with a message id), or the invocation fails with a failure that
 * says what was wrong, so Lambda's retries and the failed-events queue keep the event.
 */
class PushGuardHandlerHostileServersTest {

    private static final String DIGEST = "sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c";
    private static final String COLLISION_IMAGE = "{\"imageDetails\":[{\"repositoryName\":\"shop-api\",\"imageDigest\":\""
            + DIGEST + "\",\"imageTags\":[\"tag-1-252-0\",\"tag-1-253-0\"],\"imagePushedAt\":1.67109824E9}]}";
    private static final String POLICY = "{\"repositoryName\":\"shop-api\",\"lifecyclePolicyText\":\"{\\\"rules\\\":["
            + "{\\\"rulePriority\\\":1,\\\"selection\\\":{\\\"tagStatus\\\":\\\"tagged\\\",\\\"tagPrefixList\\\":"
            + "[\\\"tag\\\"],\\\"countType\\\":\\\"imageCountMoreThan\\\",\\\"countNumber\\\":5},\\\"action\\\":"
            + "{\\\"type\\\":\\\"expire\\\"}}]}\"}";
    private static final String PUBLISHED = "<PublishResponse><PublishResult><MessageId>m-1</MessageId>"
            + "</PublishResult></PublishResponse>";
    private static final Duration BOUND = Duration.ofSeconds(40);

    private LocalAws aws;
    private WireMockServer server;
    private PushGuardHandler handler;
    private CapturedLog log;

    @BeforeEach
    void start() {
        aws = LocalAws.start();
        server = aws.server();
        handler = new PushGuardHandler(GuardConfig.forFunction(Map.of(
                GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*",
                GuardConfig.ALERT_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:ecr-digest-guard")));
        log = new CapturedLog();
        // ECR and SNS as they should answer; each test replaces one answer with a hostile one.
        server.stubFor(ecr("DescribeImages").withRequestBody(containing("imageIds")).willReturn(json(COLLISION_IMAGE)));
        server.stubFor(ecr("DescribeImages").withRequestBody(containing("filter")).willReturn(json(COLLISION_IMAGE)));
        server.stubFor(ecr("GetLifecyclePolicy").willReturn(json(POLICY)));
        server.stubFor(publish().willReturn(aResponse().withStatus(200).withBody(PUBLISHED)));
    }

    @AfterEach
    void stop() {
        log.close();
        aws.close();
    }

    @Test
    void wellBehavedServers_giveTheAlert() {
        assertThat(invoke().output()).isEqualTo("{\"outcome\":\"ALERTED\"}");
        server.verify(1, publishRequested());
    }

    @Test
    void aListingWhoseNextTokenRepeats_isStoppedAfterTwoPages() {
        server.stubFor(ecr("DescribeImages").withRequestBody(containing("filter")).willReturn(json(
                COLLISION_IMAGE.replace("{\"imageDetails\"", "{\"nextToken\":\"same\",\"imageDetails\""))));

        Invocation invocation = invoke();

        invocation.assertAlertedOrFailedSaying("next-page token 'same' again after 2 pages");
        server.verify(2, ecrRequested("DescribeImages").withRequestBody(containing("filter")));
    }

    @Test
    void aListingThatNeverEnds_isStoppedAtItsCap() {
        server.stubFor(ecr("DescribeImages").withRequestBody(containing("filter")).willReturn(json(
                        "{\"nextToken\":\"{{randomValue length=24 type='ALPHANUMERIC'}}\",\"imageDetails\":[]}")
                .withTransformers("response-template")));

        Invocation invocation = invoke();

        invocation.assertAlertedOrFailedSaying("still more after 1000 pages");
    }

    @Test
    void slowButFinitePages_areAllRead_andTheAlertGoesOut() {
        server.stubFor(ecr("DescribeImages").withRequestBody(containing("filter")).atPriority(1)
                .withRequestBody(containing("\"p"))
                .willReturn(json("{\"imageDetails\":[]}").withFixedDelay(300)));
        server.stubFor(ecr("DescribeImages").withRequestBody(containing("filter")).atPriority(2)
                .willReturn(json(COLLISION_IMAGE.replace("{\"imageDetails\"", "{\"nextToken\":\"p1\",\"imageDetails\""))
                        .withFixedDelay(300)));

        assertThat(invoke().output()).isEqualTo("{\"outcome\":\"ALERTED\"}");
    }

    @Test
    void anEmpty200ForThePushedImage_failsTheInvocation_ratherThanCallingItGone() {
        server.stubFor(ecr("DescribeImages").withRequestBody(containing("imageIds")).willReturn(json("{}")));

        Invocation invocation = invoke();

        invocation.assertFailedSaying("answered without the image and without an error");
        assertThat(invocation.failure().retryable()).isTrue();
        server.verify(0, publishRequested());
    }

    @Test
    void a200FromSnsWithoutAMessageId_failsTheInvocation_soTheAlertIsRetried() {
        server.stubFor(publish().willReturn(aResponse().withStatus(200).withBody("<html>proxy</html>")));

        Invocation invocation = invoke();

        invocation.assertFailedSaying("no channel got the alert");
        assertThat(invocation.failure().retryable()).isTrue();
    }

    @Test
    void htmlInsteadOfTheLifecyclePolicy_isAFailure_orTheAlertWithoutLifecycle() {
        server.stubFor(ecr("GetLifecyclePolicy").willReturn(json("<html><body>Gateway</body></html>")));

        invoke().assertAlertedOrFailedSaying("ecr:GetLifecyclePolicy");
    }

    @Test
    void aHugePolicyText_isRefusedUnparsed_andTheSharedDigestIsStillAlerted() {
        String huge = "{\\\"rules\\\":[" + "{\\\"rulePriority\\\":1},".repeat(200_000) + "]}";
        server.stubFor(ecr("GetLifecyclePolicy").willReturn(json("{\"lifecyclePolicyText\":\"" + huge + "\"}")));

        Invocation invocation = invoke();

        assertThat(invocation.output()).isEqualTo("{\"outcome\":\"ALERTED\"}");
        assertThat(log.text()).contains("lifecycle policy not understood")
                .contains("ECR accepts a lifecycle policy of at most 30720 characters");
    }

    @Test
    void aTimestampOutsideTheRange_inTheListing_isAFailure_orTheAlertWithoutLifecycle() {
        server.stubFor(ecr("DescribeImages").withRequestBody(containing("filter")).willReturn(json(
                COLLISION_IMAGE.replace("1.67109824E9", "1e16"))));

        invoke().assertAlertedOrFailedSaying("outside the supported range");
    }

    @Test
    void aTimestampOutsideTheRange_onThePushedImage_failsWithoutRetry_sayingWhy() {
        server.stubFor(ecr("DescribeImages").withRequestBody(containing("imageIds")).willReturn(json(
                COLLISION_IMAGE.replace("1.67109824E9", "-1e16"))));

        Invocation invocation = invoke();

        invocation.assertFailedSaying("imagePushedAt of " + DIGEST);
        assertThat(invocation.failure().retryable()).isFalse();
    }

    @Test
    void aMegabyteErrorMessage_isEchoedShort_inTheFailureAndTheLog() {
        server.stubFor(ecr("DescribeImages").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"AccessDeniedException\",\"message\":\"\\u001b[2J" + "no ".repeat(350_000)
                        + "\"}")));

        Invocation invocation = invoke();

        invocation.assertFailedSaying("AccessDeniedException (HTTP 400): \\u001B[2Jno no");
        assertThat(invocation.failure().getMessage()).hasSizeLessThan(1_000);
    }

    // ---- invoking

    private Invocation invoke() {
        return assertTimeoutPreemptively(BOUND, () -> {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(SampleEvents.bytes(SampleEvents.COLLISION)), output,
                        new FakeContext("8f5c4ab6-0d2e-4c61-9a70-5e1b6e0f3a21", "ecr-digest-guard", 60_000));
                return new Invocation(output.toString(StandardCharsets.UTF_8), null);
            } catch (ServiceFailure failure) {
                return new Invocation(output.toString(StandardCharsets.UTF_8), failure);
            }
        });
    }

    /** How one invocation ended: the reply, or the failure that makes Lambda keep the event. */
    private final class Invocation {
        private final String output;
        private final ServiceFailure failure;

        Invocation(String output, ServiceFailure failure) {
            this.output = output;
            this.failure = failure;
        }

        String output() {
            return output;
        }

        ServiceFailure failure() {
            return failure;
        }

        void assertFailedSaying(String saying) {
            assertThat(failure).as("the invocation fails, so the event is kept").isNotNull();
            assertThat(failure).hasMessageContaining(saying);
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("\"level\":\"ERROR\""));
            assertThat(log.lines()).allSatisfy(line -> assertThat(line).hasSizeLessThan(8 * 1024)
                    .doesNotContain("\u001b", "\tat "));
        }

        /**
         * Either the guard published what it knew (SNS took the alert) and logged what it couldn't read, or the
         * invocation failed saying so: never a success that hides the problem.
         */
        void assertAlertedOrFailedSaying(String saying) {
            if (failure == null) {
                assertThat(output).startsWith("{\"outcome\":\"ALERTED");
                server.verify(1, publishRequested());
                assertThat(log.text()).contains(saying);
            } else {
                assertFailedSaying(saying);
            }
        }
    }

    // ---- ECR and SNS on the wire

    private static MappingBuilder ecr(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECR_TARGET + operation));
    }

    private static RequestPatternBuilder ecrRequested(String operation) {
        return postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECR_TARGET + operation));
    }

    private static MappingBuilder publish() {
        return post(urlEqualTo("/")).withRequestBody(containing("Action=Publish"));
    }

    private static RequestPatternBuilder publishRequested() {
        return postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=Publish"));
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }
}
