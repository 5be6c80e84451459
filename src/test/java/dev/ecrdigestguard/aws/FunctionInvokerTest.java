package dev.ecrdigestguard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ecrdigestguard.failure.ServiceFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** The sweep's hand-over on the wire (WireMock as Lambda): one signed, asynchronous Invoke of this function. */
class FunctionInvokerTest {

    static final String PATH = "/2015-03-31/functions/ecr-digest-guard/invocations?Qualifier=7";
    static final String EVENT = "{\"source\":\"ecr-digest-guard\",\"detail-type\":\"Sweep Slice\"}";

    WireMockServer lambda;

    @BeforeEach
    void start() {
        lambda = new WireMockServer(options().dynamicPort());
        lambda.start();
        System.setProperty("aws.endpointUrlLambda", lambda.baseUrl());
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.endpointUrlLambda");
        lambda.stop();
    }

    @Test
    void invokeAsync_queuesOneEventInvocation_ofThisVersion_signedForLambda() {
        lambda.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(202)));

        FunctionInvoker.of("ecr-digest-guard", "7", Region.EU_WEST_1).invokeAsync(EVENT);

        lambda.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("X-Amz-Invocation-Type", equalTo("Event"))
                .withHeader("Authorization", containing("/eu-west-1/lambda/aws4_request"))
                .withRequestBody(equalToJson(EVENT)));
    }

    @Test
    void invokeAsync_refused_isAFailureNamingTheCallAndFunction_notRetried() {
        lambda.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(403)
                .withHeader("x-amzn-ErrorType", "AccessDeniedException")
                .withBody("{\"Message\":\"not authorized to perform: lambda:InvokeFunction\"}")));

        assertThatThrownBy(() -> FunctionInvoker.of("ecr-digest-guard", "7", Region.EU_WEST_1).invokeAsync(EVENT))
                .isInstanceOfSatisfying(ServiceFailure.class, failure -> {
                    assertThat(failure.retryable()).isFalse();
                    assertThat(failure.getMessage()).contains("lambda:InvokeFunction", "ecr-digest-guard");
                });
        lambda.verify(1, postRequestedFor(anyUrl()));
    }

    @Test
    void functionNames_thatAreNotLambdaNames_areRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> FunctionInvoker.of("guard/../other", "7", Region.EU_WEST_1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("guard/../other");
        assertThatThrownBy(() -> FunctionInvoker.of("guard", "7?x=1", Region.EU_WEST_1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("qualifier");
    }
}
