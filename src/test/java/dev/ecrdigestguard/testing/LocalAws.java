package dev.ecrdigestguard.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * A WireMock server standing in for ECR and SNS, reached by the real SDK clients through the SDK's own endpoint
 * settings ({@code aws.endpointUrlEcr} / {@code aws.endpointUrlSns}, the system-property twins of
 * {@code AWS_ENDPOINT_URL_ECR} / {@code AWS_ENDPOINT_URL_SNS}). Set them before a client is built, clear them after.
 */
public final class LocalAws implements AutoCloseable {

    public static final String ECR_TARGET = "AmazonEC2ContainerRegistry_V20150921.";
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

    @Override
    public void close() {
        for (String property : PROPERTIES) {
            System.clearProperty(property);
        }
        server.stop();
    }
}
