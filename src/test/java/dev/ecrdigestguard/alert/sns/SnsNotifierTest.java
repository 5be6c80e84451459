package dev.ecrdigestguard.alert.sns;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.ecrdigestguard.testing.Pushes.DIGEST;
import static dev.ecrdigestguard.testing.Pushes.EVENT_TIME;
import static dev.ecrdigestguard.testing.Pushes.PUSHED_AT;
import static dev.ecrdigestguard.testing.Pushes.REPOSITORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.ecrdigestguard.alert.NotificationException;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.config.TopicArn;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.SharedDigestFinding;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.testing.LocalAws;
import dev.ecrdigestguard.testing.Pushes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sns.SnsClient;

/** The SNS adapter with the real SDK client, against a local server that answers as SNS's query API does. */
class SnsNotifierTest {

    private static final SnsAlertRenderer RENDERER = new SnsAlertRenderer(ProductionTags.parse("tag-*"));

    static final TopicArn TOPIC = new TopicArn("arn:aws:sns:eu-west-1:123456789012:ecr-digest-guard");
    static final String PUBLISH_RESPONSE = """
            <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
              <PublishResult><MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult>
              <ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId></ResponseMetadata>
            </PublishResponse>
            """;

    private LocalAws aws;
    private WireMockServer server;
    private SnsClient client;

    @BeforeEach
    void startLocalSns() {
        aws = LocalAws.start();
        server = aws.server();
        client = AwsClients.newSnsClient();
    }

    @AfterEach
    void stop() {
        client.close();
        aws.close();
    }

    static ResponseDefinitionBuilder xml(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(body);
    }

    @Test
    void send_publishesOneJsonStructuredMessage_withFilterAttributes() {
        server.stubFor(post(urlEqualTo("/")).willReturn(xml(200, PUBLISH_RESPONSE)));
        GuardReport report = report();
        SnsAlert expected = RENDERER.render(report);

        new SnsNotifier(client, TOPIC, RENDERER).send(report);

        List<LoggedRequest> requests = server.findAll(WireMock.postRequestedFor(urlEqualTo("/")));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        Map<String, String> form = form(requests.get(0).getBodyAsString());
        assertThat(form).containsEntry("Action", "Publish")
                .containsEntry("Version", "2010-03-31")
                .containsEntry("TopicArn", TOPIC.value())
                .containsEntry("MessageStructure", "json")
                .containsEntry("Subject", expected.subject())
                .containsEntry("Message", expected.message());
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; form.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
            String prefix = "MessageAttributes.entry." + i;
            attributes.put(form.get(prefix + ".Name"),
                    form.get(prefix + ".Value.DataType") + "=" + form.get(prefix + ".Value.StringValue"));
        }
        assertThat(attributes).containsOnly(
                Map.entry("repository", "String=shop-api"),
                Map.entry("findingKind", "String.Array=[\"SHARED_DIGEST\"]"),
                Map.entry("severity", "String=WARNING"),
                Map.entry("account", "String=123456789012"),
                Map.entry("region", "String=eu-west-1"));
    }

    @Test
    void send_authorizationError_isNotRetryable_andNamesTheAction() {
        server.stubFor(post(urlEqualTo("/")).willReturn(xml(403, """
                <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
                  <Error><Type>Sender</Type><Code>AuthorizationError</Code>
                    <Message>User: arn:aws:sts::123456789012:assumed-role/guard/fn is not authorized to perform: SNS:Publish on resource: arn:aws:sns:eu-west-1:123456789012:ecr-digest-guard</Message>
                  </Error><RequestId>9b0b1a7e-0000-0000-0000-000000000000</RequestId>
                </ErrorResponse>
                """)));

        NotificationException failure = catchThrowableOfType(NotificationException.class,
                () -> new SnsNotifier(client, TOPIC, RENDERER).send(report()));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure).hasMessageStartingWith("sns:Publish on topic " + TOPIC)
                .hasMessageContaining("AuthorizationError (HTTP 403)").hasMessageContaining("allows sns:Publish");
    }

    @Test
    void send_serverErrors_areRetryable() {
        server.stubFor(post(urlEqualTo("/")).willReturn(xml(500, """
                <ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>oops</Message></Error>
                <RequestId>1</RequestId></ErrorResponse>
                """)));

        NotificationException failure = catchThrowableOfType(NotificationException.class,
                () -> new SnsNotifier(client, TOPIC, RENDERER).send(report()));

        assertThat(failure.retryable()).isTrue();
        assertThat(server.getAllServeEvents()).hasSizeGreaterThan(1);
    }

    static GuardReport report() {
        SharedDigestFinding finding = new SharedDigestFinding(REPOSITORY, Tag.of("tag-1-253-0"), DIGEST,
                List.of(Tag.of("tag-1-252-0")), 11, PUSHED_AT, EVENT_TIME);
        return new GuardReport(Pushes.push("tag-1-253-0"), List.of(finding), "1 finding");
    }

    static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    @ParameterizedTest(name = "body [{0}]")
    @ValueSource(strings = {"",
            "<PublishResponse><PublishResult></PublishResult></PublishResponse>",
            "<PublishResponse><PublishResult><MessageId> </MessageId></PublishResult></PublishResponse>",
            "<html><body>Welcome to the corporate proxy</body></html>"})
    void send_a200WithoutMessageId_isARetryableFailure_notADeliveredAlert(String body) {
        server.stubFor(post(urlEqualTo("/")).willReturn(xml(200, body)));

        NotificationException failure = catchThrowableOfType(NotificationException.class,
                () -> new SnsNotifier(client, TOPIC, RENDERER).send(report()));

        assertThat(failure).isNotNull();
        assertThat(failure.retryable()).isTrue();
        assertThat(failure).hasMessageStartingWith("sns:Publish on topic " + TOPIC);
    }
}
