package dev.ecrdigestguard.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * A WireMock server standing in for ECR and SNS, reached by the real SDK clients through the SDK's own endpoint
 * settings ({@code aws.endpointUrlEcr} / {@code aws.endpointUrlSns}, the system-property twins of
 * {@code AWS_ENDPOINT_URL_ECR} / {@code AWS_ENDPOINT_URL_SNS}). Set them before a client is built, clear them after.
 */
public final class LocalAws implements AutoCloseable {

    public static final String ECR_TARGET = "AmazonEC2ContainerRegistry_V20150921.";
    /** The image of the sample collision as DescribeImages describes it: tag-1-253-0 on tag-1-252-0's digest. */
    public static final String COLLISION_IMAGE = """
            {"imageDetails":[{"registryId":"123456789012","repositoryName":"shop-api",
              "imageDigest":"sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c",
              "imageTags":["git-325dc21f","tag-1-252-0","tag-1-253-0"],"imagePushedAt":1.67109824E9}]}
            """;
    private static final String[] PROPERTIES = {"aws.endpointUrlEcr", "aws.endpointUrlSns"};

    private final WireMockServer server = new WireMockServer(options().dynamicPort().containerThreads(8));

    public static LocalAws start() {
        LocalAws local = new LocalAws();
        local.server.start();
        for (String property : PROPERTIES) {
            System.setProperty(property, local.server.baseUrl());
        }
        return local;
    }

    public WireMockServer server() {
        return server;
    }

    /**
     * Answers as ECR and SNS do for the sample collision push: the image ({@link #COLLISION_IMAGE}) for every
     * DescribeImages, no lifecycle policy, and a message id for every Publish — three calls for the push.
     */
    public static void answerTheCollision(WireMockServer server) {
        server.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECR_TARGET + "DescribeImages"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(COLLISION_IMAGE)));
        server.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECR_TARGET + "GetLifecyclePolicy"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"LifecyclePolicyNotFoundException\",\"message\":\"none\"}")));
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .willReturn(aResponse().withStatus(200).withBody("<PublishResponse><PublishResult><MessageId>m-1"
                        + "</MessageId></PublishResult></PublishResponse>")));
    }

    @Override
    public void close() {
        for (String property : PROPERTIES) {
            System.clearProperty(property);
        }
        server.stop();
    }
}
