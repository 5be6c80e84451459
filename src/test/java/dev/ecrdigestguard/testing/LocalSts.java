package dev.ecrdigestguard.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ecrdigestguard.aws.AwsClients;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/** A local STS (WireMock on a free port) and the real STS client pointed at it, signing with the given credentials. */
public record LocalSts(WireMockServer server, StsClient client) implements AutoCloseable {

    public static LocalSts start(AwsCredentialsProvider credentials) {
        WireMockServer server = new WireMockServer(options().dynamicPort());
        server.start();
        return new LocalSts(server, StsClient.builder().endpointOverride(URI.create(server.baseUrl()))
                .region(Region.EU_WEST_1).credentialsProvider(credentials).httpClient(AwsClients.http()).build());
    }

    /** {@code action} (e.g. {@code GetCallerIdentity}) answered with STS's error document. */
    public void refuses(String action, int status, String code, String message) {
        server.stubFor(post("/").withRequestBody(containing("Action=" + action)).willReturn(aResponse()
                .withStatus(status).withHeader("Content-Type", "text/xml").withBody("""
                        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>
                          <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
                        </ErrorResponse>""".formatted(code, message))));
    }

    @Override
    public void close() {
        client.close();
        server.stop();
    }
}
