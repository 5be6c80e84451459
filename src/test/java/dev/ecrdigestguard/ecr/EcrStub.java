package dev.ecrdigestguard.ecr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * A local HTTP server standing in for the ECR API (JSON 1.1 protocol: POST / with an {@code X-Amz-Target} header),
 * and a real SDK {@link EcrClient} pointed at it through the SDK's own {@code aws.endpointUrlEcr} setting.
 */
final class EcrStub implements AutoCloseable {

    static final String PREFIX = "AmazonEC2ContainerRegistry_V20150921.";

    final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    final EcrClient ecr;

    EcrStub() {
        server.start();
        String previous = System.getProperty("aws.endpointUrlEcr");
        System.setProperty("aws.endpointUrlEcr", server.baseUrl());
        try {
            ecr = AwsClients.newEcrClient();
        } finally {
            if (previous == null) {
                System.clearProperty("aws.endpointUrlEcr");
            } else {
                System.setProperty("aws.endpointUrlEcr", previous);
            }
        }
    }

    static MappingBuilder call(String operation) {
        return post("/").withHeader("X-Amz-Target", equalTo(PREFIX + operation));
    }

    void answer(String operation, String json) {
        server.stubFor(call(operation).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody(json)));
    }

    void fail(String operation, int status, String errorType, String message) {
        server.stubFor(call(operation).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"" + errorType + "\",\"message\":\"" + message + "\"}")));
    }

    /** The ECR operations called, in order (without the target prefix). */
    List<String> operations() {
        List<String> operations = new ArrayList<>();
        for (ServeEvent event : received()) {
            if (event.getRequest().containsHeader("X-Amz-Target")) {
                operations.add(event.getRequest().getHeader("X-Amz-Target").substring(PREFIX.length()));
            }
        }
        return operations;
    }

    /** The JSON body of every call to {@code operation}, in order. */
    List<JsonNode> bodies(String operation) {
        List<JsonNode> bodies = new ArrayList<>();
        for (ServeEvent event : received()) {
            if ((PREFIX + operation).equals(event.getRequest().getHeader("X-Amz-Target"))) {
                try {
                    bodies.add(Json.mapper().readTree(event.getRequest().getBodyAsString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return bodies;
    }

    JsonNode body(String operation) {
        List<JsonNode> bodies = bodies(operation);
        if (bodies.size() != 1) {
            throw new AssertionError("expected one " + operation + " call, got " + bodies.size());
        }
        return bodies.get(0);
    }

    private List<ServeEvent> received() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        // WireMock lists the newest first; reversed, then sorted stably, requests logged in one millisecond keep order.
        Collections.reverse(events);
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        return events;
    }

    @Override
    public void close() {
        ecr.close();
        server.stop();
    }
}
