package dev.ecrdigestguard.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.json.JsonText;
import dev.ecrdigestguard.ledger.JsonFileLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backfill} with the real CloudTrail SDK client against WireMock (moto answers LookupEvents with HTTP 500):
 * PutImage records as CloudTrail's event history returns them, paged, paced, into a ledger file.
 */
class BackfillCommandTest {

    static final String TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
    static final String DIGEST_1 = "sha256:" + "1".repeat(64);
    static final String DIGEST_2 = "sha256:" + "2".repeat(64);

    WireMockServer cloudTrail;
    @TempDir
    Path directory;

    @BeforeEach
    void start() {
        cloudTrail = new WireMockServer(options().dynamicPort());
        cloudTrail.start();
        System.setProperty("aws.endpointUrlCloudTrail", cloudTrail.baseUrl());
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.endpointUrlCloudTrail");
        cloudTrail.stop();
    }

    /** A PutImage record as CloudTrail keeps it (ECR's documented shape: the tag in the request, the digest in the answer). */
    static Map<String, Object> putImage(String repository, String tag, String digest, Instant at) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("repositoryName", repository);
        request.put("imageTag", tag);
        request.put("registryId", "123456789012");
        request.put("imageManifest", "{}");
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventVersion", "1.08");
        record.put("eventTime", at.toString());
        record.put("eventSource", "ecr.amazonaws.com");
        record.put("eventName", "PutImage");
        record.put("awsRegion", "eu-west-1");
        record.put("requestParameters", request);
        record.put("responseElements", Map.of("image", Map.of("registryId", "123456789012", "repositoryName",
                repository, "imageId", Map.of("imageDigest", digest, "imageTag", tag), "imageManifest", "{}")));
        record.put("recipientAccountId", "123456789012");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("EventId", "e-" + tag);
        event.put("EventName", "PutImage");
        event.put("EventTime", at.getEpochSecond());
        event.put("EventSource", "ecr.amazonaws.com");
        event.put("CloudTrailEvent", JsonText.write(record));
        return event;
    }

    void answer(String scenarioToken, String nextToken, List<Map<String, Object>> events) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("Events", events);
        if (nextToken != null) {
            page.put("NextToken", nextToken);
        }
        var request = post("/").withHeader("X-Amz-Target", equalTo(TARGET));
        request = scenarioToken == null ? request.withRequestBody(matchingJsonPath("$[?(!@.NextToken)]"))
                : request.withRequestBody(matchingJsonPath("$.NextToken", equalTo(scenarioToken)));
        cloudTrail.stubFor(request.willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody(JsonText.write(page))));
    }

    @Test
    void backfill_recordsEveryProductionPutImage_acrossPages_atCloudTrailsPace() throws Exception {
        // GIVEN two pages of history: two production releases (one a re-release on an older digest), a non-production
        // push, a push without a tag (a child of a multi-architecture image), and a push to another repository
        Instant now = Instant.now();
        answer(null, "page-2", List.of(
                putImage("shop-api", "tag-1-253-0", DIGEST_1, now.minus(Duration.ofDays(3))),
                putImage("shop-api", "git-684254dd", DIGEST_1, now.minus(Duration.ofDays(3)))));
        answer("page-2", null, List.of(
                putImage("shop-api", "tag-1-252-0", DIGEST_1, now.minus(Duration.ofDays(40))),
                putImage("web", "tag-7", DIGEST_2, now.minus(Duration.ofDays(5))),
                putImage("shop-api", "", DIGEST_2, now.minus(Duration.ofDays(6)))));
        Path ledger = directory.resolve("ledger.json");

        // WHEN
        Instant started = Instant.now();
        CheckCommandTest.Run run = CheckCommandTest.run("backfill", "--region", "eu-west-1", "--production-tags",
                "tag-*", "--ledger", ledger.toString(), "--repositories", "shop-*", "--format", "json");
        Duration took = Duration.between(started, Instant.now());

        // THEN the production releases of the chosen repositories are in the ledger at their push times
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isEqualTo(Main.OK);
        JsonNode summary = run.json();
        assertThat(summary.get("pushesRead").asLong()).isEqualTo(4);
        assertThat(summary.get("releasesRecorded").asLong()).isEqualTo(2);
        assertThat(summary.get("unreadable").asLong()).isEqualTo(1);
        RepositoryLocation shop = new RepositoryLocation("123456789012", "eu-west-1", RepositoryName.of("shop-api"));
        assertThat(new JsonFileLedger(ledger).releases(shop))
                .extracting(entry -> entry.tag().value(), entry -> entry.firstSeen().getEpochSecond())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("tag-1-253-0",
                                now.minus(Duration.ofDays(3)).getEpochSecond()),
                        org.assertj.core.groups.Tuple.tuple("tag-1-252-0",
                                now.minus(Duration.ofDays(40)).getEpochSecond()));
        // asking for PutImage over the last 90 days, and no faster than two requests a second
        List<LoggedRequest> requests = cloudTrail.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(TARGET)));
        assertThat(requests).hasSize(2);
        JsonNode first = Json.mapper().readTree(requests.get(0).getBodyAsString());
        assertThat(first.at("/LookupAttributes/0/AttributeKey").asText()).isEqualTo("EventName");
        assertThat(first.at("/LookupAttributes/0/AttributeValue").asText()).isEqualTo("PutImage");
        Instant from = Instant.ofEpochMilli(Math.round(first.get("StartTime").asDouble() * 1000));
        assertThat(from).isBetween(started.minus(Duration.ofDays(90)).minusSeconds(1),
                started.plus(took).minus(Duration.ofDays(90)));
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void backfill_whenCloudTrailRefuses_saysSoInOneLine_andExits3() {
        cloudTrail.stubFor(post("/").withHeader("X-Amz-Target", equalTo(TARGET)).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(
                        "{\"__type\":\"AccessDeniedException\",\"message\":\"User is not authorized to perform: "
                                + "cloudtrail:LookupEvents\"}")));

        CheckCommandTest.Run run = CheckCommandTest.run("backfill", "--region", "eu-west-1", "--production-tags",
                "tag-*", "--ledger", directory.resolve("ledger.json").toString());

        assertThat(run.status()).isEqualTo(Main.AWS_FAILURE);
        assertThat(run.err().lines()).singleElement().satisfies(line -> assertThat(line).startsWith("backfill: ")
                .contains("cloudtrail:LookupEvents").contains("AccessDenied"));
    }

    @Test
    void backfill_mistakes_areOneLineNamingTheOption() throws Exception {
        CheckCommandTest.Run noLedger = CheckCommandTest.run("backfill", "--region", "eu-west-1",
                "--production-tags", "tag-*");
        CheckCommandTest.Run both = CheckCommandTest.run("backfill", "--region", "eu-west-1", "--production-tags",
                "tag-*", "--ledger", "l.json", "--ledger-table", "guard-ledger");
        CheckCommandTest.Run days = CheckCommandTest.run("backfill", "--region", "eu-west-1", "--production-tags",
                "tag-*", "--ledger", "l.json", "--days", "120");
        CheckCommandTest.Run table = CheckCommandTest.run("backfill", "--region", "eu-west-1", "--production-tags",
                "tag-*", "--ledger-table", "my table");
        CheckCommandTest.Run help = CheckCommandTest.run("backfill", "--help");

        assertThat(List.of(noLedger, both, days, table)).allSatisfy(run -> {
            assertThat(run.status()).isEqualTo(Main.BAD_INPUT);
            assertThat(run.err().lines().findFirst().orElseThrow()).startsWith("backfill: ");
        });
        assertThat(noLedger.err()).contains("--ledger");
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(days.err()).contains("--days 120 is not between 1 and 90");
        assertThat(table.err()).contains("--ledger-table: table name 'my table' is not a DynamoDB table name");
        assertThat(help.status()).isEqualTo(Main.OK);
        assertThat(help.out()).contains("two requests a second", "--ledger-table", "cloudtrail:LookupEvents");
        assertThat(Files.exists(Path.of("l.json"))).isFalse();
        cloudTrail.verify(0, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("LookupAttributes")));
    }
}
