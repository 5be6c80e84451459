package dev.ecrdigestguard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The guard's alert topic on a local AWS, as an operator would watch it: an SNS topic with an SQS queue subscribed,
 * from which the test reads every alert published (the SNS envelopes, with their message attributes). The SDK's
 * endpoint settings ({@code aws.endpointUrlSns}, {@code aws.endpointUrlSqs}) say which AWS.
 */
public final class AlertQueue implements AutoCloseable {

    private final SqsClient sqs;
    private final String queueUrl;
    private final String topicArn;

    private AlertQueue(SqsClient sqs, String queueUrl, String topicArn) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.topicArn = topicArn;
    }

    /** Creates the topic and the queue, and subscribes the queue. */
    public static AlertQueue create(String name) {
        try (SnsClient sns = SnsClient.builder().httpClient(AwsClients.http()).build()) {
            SqsClient sqs = SqsClient.builder().httpClient(AwsClients.http()).build();
            String topicArn = sns.createTopic(r -> r.name(name)).topicArn();
            String queueUrl = sqs.createQueue(r -> r.queueName(name)).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
            return new AlertQueue(sqs, queueUrl, topicArn);
        }
    }

    /** The topic to give the guard ({@code ALERT_TOPIC_ARN}). */
    public String topicArn() {
        return topicArn;
    }

    /** Every alert the queue holds now, removed from it: the SNS envelopes. */
    public List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        List<Message> batch;
        do {
            batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            for (Message message : batch) {
                try {
                    alerts.add(Json.mapper().readTree(message.body()));
                } catch (IOException e) {
                    throw new UncheckedIOException("an alert that is not JSON: " + message.body(), e);
                }
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        } while (!batch.isEmpty());
        return alerts;
    }

    @Override
    public void close() {
        sqs.close();
    }
}
