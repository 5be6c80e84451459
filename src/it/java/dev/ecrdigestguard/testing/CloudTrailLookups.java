package dev.ecrdigestguard.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ecrdigestguard.json.JsonText;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudTrail's {@code LookupEvents} played by WireMock (moto answers it with HTTP 500), with {@code PutImage} records
 * shaped as CloudTrail returns them: the backfill's view of a registry's history.
 */
public final class CloudTrailLookups {

    private CloudTrailLookups() {
    }

    /** Answers every {@code LookupEvents} on {@code server} with {@code records}, in one page. */
    public static void answerWith(WireMockServer server, List<Map<String, Object>> records) {
        server.stubFor(post("/").withHeader("X-Amz-Target",
                        equalTo("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(JsonText.write(Map.of("Events", records)))));
    }

    /** A {@code PutImage} record: {@code tag} pushed onto {@code digest} in a repository of an account and region. */
    public static Map<String, Object> putImage(String account, String region, String repository, String tag,
                                               String digest, Instant at) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventTime", at.toString());
        record.put("eventSource", "ecr.amazonaws.com");
        record.put("eventName", "PutImage");
        record.put("awsRegion", region);
        record.put("recipientAccountId", account);
        record.put("requestParameters", Map.of("repositoryName", repository, "imageTag", tag, "registryId", account));
        record.put("responseElements", Map.of("image", Map.of("registryId", account, "repositoryName", repository,
                "imageId", Map.of("imageDigest", digest, "imageTag", tag))));
        return Map.of("EventId", "e-" + account + "-" + region + "-" + repository + "-" + tag, "EventName",
                "PutImage", "EventTime", at.getEpochSecond(), "CloudTrailEvent", JsonText.write(record));
    }
}
