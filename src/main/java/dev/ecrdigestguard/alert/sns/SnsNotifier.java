package dev.ecrdigestguard.alert.sns;

import dev.ecrdigestguard.alert.NotificationException;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.aws.AwsFailures;
import dev.ecrdigestguard.config.TopicArn;
import dev.ecrdigestguard.finding.GuardReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/**
 * Publishes a report to an SNS topic: one {@code Publish} with a message per protocol. Only an answer with a
 * {@code MessageId} proves SNS took the message: a 200 from something else (a proxy's HTML page, an empty body) is a
 * retryable failure, never a delivered alert.
 */
public final class SnsNotifier implements Notifier {

    private final Supplier<SnsClient> sns;
    private final TopicArn topic;
    private final SnsAlertRenderer renderer;
    private SnsClient client;

    public SnsNotifier(SnsClient sns, TopicArn topic, SnsAlertRenderer renderer) {
        this(() -> sns, topic, renderer);
    }

    /**
     * Builds the client on the first alert: most production pushes raise none, and building an SDK client costs a
     * cold start some 50 ms of CPU.
     */
    public SnsNotifier(Supplier<SnsClient> sns, TopicArn topic, SnsAlertRenderer renderer) {
        this.sns = sns;
        this.topic = topic;
        this.renderer = renderer;
    }

    private synchronized SnsClient client() {
        if (client == null) {
            client = sns.get();
        }
        return client;
    }

    @Override
    public String channel() {
        return "sns";
    }

    @Override
    public void send(GuardReport report) {
        SnsAlert alert = renderer.render(report);
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        alert.attributes().forEach((name, attribute) -> attributes.put(name, MessageAttributeValue.builder()
                .dataType(attribute.dataType()).stringValue(attribute.value()).build()));
        PublishResponse response;
        try {
            response = client().publish(request -> request
                    .topicArn(topic.value())
                    .subject(alert.subject())
                    .messageStructure("json")
                    .message(alert.message())
                    .messageAttributes(attributes));
        } catch (SdkException e) {
            throw new NotificationException(AwsFailures.describe("sns:Publish", "topic " + topic, e),
                    AwsFailures.retryable(e), e);
        }
        if (response.messageId() == null || response.messageId().isBlank()) {
            throw new NotificationException("sns:Publish on topic " + topic + " answered HTTP "
                    + response.sdkHttpResponse().statusCode() + " without a MessageId: no proof SNS took the alert",
                    true, null);
        }
    }
}
