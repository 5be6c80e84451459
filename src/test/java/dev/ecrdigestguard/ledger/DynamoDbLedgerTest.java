package dev.ecrdigestguard.ledger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.testing.CapturedLog;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The ledger's DynamoDB calls on the wire (WireMock behind the real SDK client): their shape, and every fault. */
class DynamoDbLedgerTest {

    static final String UPDATE_ITEM = "DynamoDB_20120810.UpdateItem";
    static final String QUERY = "DynamoDB_20120810.Query";
    static final RepositoryLocation SHOP = new RepositoryLocation("123456789012", "eu-west-1",
            RepositoryName.of("shop-api"));
    static final Digest DIGEST = Digest.of("sha256:" + "1".repeat(64));
    static final Instant SEEN = Instant.parse("2024-03-01T10:00:00.500Z");

    WireMockServer aws;
    DynamoDbClient dynamo;
    DynamoDbLedger ledger;

    @BeforeEach
    void start() {
        aws = new WireMockServer(options().dynamicPort());
        aws.start();
        System.setProperty("aws.endpointUrlDynamoDb", aws.baseUrl());
        dynamo = AwsClients.newDynamoDbClient();
        ledger = new DynamoDbLedger(new LedgerTable(dynamo, "guard-ledger"));
    }

    @AfterEach
    void stop() {
        dynamo.close();
        System.clearProperty("aws.endpointUrlDynamoDb");
        aws.stop();
    }

    private void answer(String target, int status, String body) {
        aws.stubFor(post("/").withHeader("X-Amz-Target", equalTo(target)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/x-amz-json-1.0").withBody(body)));
    }

    @Test
    void recordPush_isOneConditionalUpdate_comparingTimesAsNumbers() {
        answer(UPDATE_ITEM, 200, "{}");

        ledger.recordPush(SHOP, Tag.of("tag-1-253-0"), DIGEST, SEEN);

        aws.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(UPDATE_ITEM))
                .withRequestBody(matchingJsonPath("$.TableName", equalTo("guard-ledger")))
                .withRequestBody(matchingJsonPath("$.Key.pk.S", equalTo("REPO#123456789012#eu-west-1#shop-api")))
                .withRequestBody(matchingJsonPath("$.Key.sk.S", equalTo("RELEASE#tag-1-253-0")))
                .withRequestBody(matchingJsonPath("$.ExpressionAttributeValues[':seen'].N",
                        equalTo(Long.toString(SEEN.toEpochMilli()))))
                .withRequestBody(matchingJsonPath("$.ConditionExpression",
                        equalTo("attribute_not_exists(pk) OR (#digest = :digest AND #firstSeen > :seen)"
                                + " OR (#digest <> :digest AND #firstSeen < :seen)"))));
    }

    @Test
    void recordPush_whenAnEarlierSightingIsRecorded_isANoOp() {
        answer(UPDATE_ITEM, 400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                + "\"message\":\"The conditional request failed\"}");

        ledger.recordPush(SHOP, Tag.of("tag-1-253-0"), DIGEST, SEEN);

        aws.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void recordPush_deniedByIam_isAClearNonRetryableFailure() {
        answer(UPDATE_ITEM, 400, "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"Message\":"
                + "\"User is not authorized to perform: dynamodb:UpdateItem\"}");

        assertThatThrownBy(() -> ledger.recordPush(SHOP, Tag.of("tag-1-253-0"), DIGEST, SEEN))
                .isInstanceOfSatisfying(LedgerTable.LedgerTableException.class, failure -> {
                    assertThat(failure.retryable()).isFalse();
                    assertThat(failure.getMessage()).contains("dynamodb:UpdateItem", "guard-ledger",
                            "AccessDeniedException", "allows dynamodb:UpdateItem");
                });
    }

    @Test
    void releases_throttledBeyondTheSdksRetries_failsRetryably() {
        answer(QUERY, 400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                + "\"message\":\"Rate of requests exceeds the allowed throughput\"}");

        assertThatThrownBy(() -> ledger.releases(SHOP))
                .isInstanceOfSatisfying(LedgerTable.LedgerTableException.class, failure -> {
                    assertThat(failure.retryable()).isTrue();
                    assertThat(failure.getMessage()).contains("dynamodb:Query", "guard-ledger");
                });
    }

    @Test
    void releases_aTableRepeatingItsPage_isGivenUpOn() {
        answer(QUERY, 200, "{\"Items\":[],\"Count\":0,\"LastEvaluatedKey\":{\"pk\":{\"S\":\"x\"},\"sk\":{\"S\":\"y\"}}}");

        assertThatThrownBy(() -> ledger.releases(SHOP)).hasMessageContaining("answered the same page twice");
        assertThat(aws.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(2);
    }

    @Test
    void releases_aDamagedItem_isSkipped_andTheOthersRead() {
        answer(QUERY, 200, """
                {"Items":[
                  {"pk":{"S":"p"},"sk":{"S":"RELEASE#tag-1"},"tag":{"S":"tag-1"},"digest":{"S":"sha256:%s"},
                   "firstSeen":{"N":"1709287200500"}},
                  {"pk":{"S":"p"},"sk":{"S":"RELEASE#tag-2"},"tag":{"S":"tag-2"},"digest":{"S":"not a digest"},
                   "firstSeen":{"N":"1709287200500"}}],"Count":2}""".formatted("1".repeat(64)));

        try (CapturedLog log = new CapturedLog()) {
            assertThat(ledger.releases(SHOP)).extracting(entry -> entry.tag().value()).containsExactly("tag-1");
            assertThat(log.text()).contains("ledger item skipped", "RELEASE#tag-2");
        }
    }

    @Test
    void aLocationWithoutAccountOrRegion_isRefused_beforeAnyCall() {
        RepositoryLocation recording = new RepositoryLocation("", "", RepositoryName.of("shop-api"));

        assertThatThrownBy(() -> ledger.releases(recording)).hasMessageContaining("keys releases by account and "
                + "region");
        assertThat(aws.getAllServeEvents()).isEmpty();
    }
}
