package dev.ecrdigestguard.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.aws.AwsFailures;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.guard.PushHistory;
import dev.ecrdigestguard.guard.RepositoryLocation;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * A registry's pushes as CloudTrail recorded them: its event history ({@code LookupEvents}, the last 90 days of
 * management events, no trail needed), filtered to {@code PutImage}, the call that puts a tag on a digest — what
 * {@code docker push} ends with and what the guard's own re-tags make.
 *
 * <p>A record reads as a push when ECR (not ECR Public) answered it without an error and it names the repository,
 * the tag ({@code requestParameters.imageTag}, or the answer's {@code image.imageId.imageTag}) and the digest
 * ({@code responseElements.image.imageId.imageDigest}); the account is the registry's ({@code registryId}, else the
 * record's {@code recipientAccountId}) and the region the record's {@code awsRegion}. Untagged pushes (the children of
 * a multi-architecture image) and failed ones are counted as unreadable, as is any record with a value the guard
 * would refuse.
 *
 * <p>LookupEvents allows two calls a second per account and region: the caller paces the pages
 * ({@code guard.LedgerBackfill}), and the client's standard retries back off when throttled anyway.
 */
public final class CloudTrailPushHistory implements PushHistory {

    /** LookupEvents answers at most 50 events a page. */
    static final int PAGE_SIZE = 50;

    private final CloudTrailClient cloudTrail;
    private final String where;

    /** @param where what the history covers, for messages ("account 111122223333, region eu-west-1") */
    public CloudTrailPushHistory(CloudTrailClient cloudTrail, String where) {
        this.cloudTrail = Objects.requireNonNull(cloudTrail, "cloudTrail");
        this.where = Objects.requireNonNull(where, "where");
    }

    @Override
    public Page pushes(Instant from, Instant to, Optional<String> token) {
        LookupEventsResponse response;
        try {
            response = cloudTrail.lookupEvents(request -> request
                    .lookupAttributes(attribute -> attribute.attributeKey(LookupAttributeKey.EVENT_NAME)
                            .attributeValue("PutImage"))
                    .startTime(from)
                    .endTime(to)
                    .maxResults(PAGE_SIZE)
                    .nextToken(token.orElse(null)));
        } catch (SdkException e) {
            throw new CatalogException(AwsFailures.describe("cloudtrail:LookupEvents", "the event history of "
                    + where, e), AwsFailures.retryable(e), e);
        }
        List<RecordedPush> pushes = new ArrayList<>();
        int unreadable = 0;
        for (Event event : response.events()) {
            Optional<RecordedPush> push = push(event);
            if (push.isPresent()) {
                pushes.add(push.get());
            } else {
                unreadable++;
            }
        }
        Optional<String> next = Optional.ofNullable(response.nextToken()).filter(t -> !t.isEmpty());
        if (next.isPresent() && next.equals(token)) {
            throw new CatalogException("cloudtrail:LookupEvents on the event history of " + where + " answered the "
                    + "same page twice; giving up rather than reading forever", true, null);
        }
        return new Page(pushes, unreadable, next);
    }

    /** The push an event records, when it records one the guard can read. */
    static Optional<RecordedPush> push(Event event) {
        if (event.cloudTrailEvent() == null) {
            return Optional.empty();
        }
        JsonNode record;
        try {
            record = Json.mapper().readTree(event.cloudTrailEvent());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!"ecr.amazonaws.com".equals(record.path("eventSource").asText())
                || !"PutImage".equals(record.path("eventName").asText()) || record.hasNonNull("errorCode")) {
            return Optional.empty();
        }
        JsonNode request = record.path("requestParameters");
        JsonNode image = record.path("responseElements").path("image");
        String tag = firstText(request.path("imageTag"), image.path("imageId").path("imageTag"));
        String digest = firstText(image.path("imageId").path("imageDigest"), request.path("imageDigest"));
        String repository = firstText(request.path("repositoryName"), image.path("repositoryName"));
        String account = firstText(image.path("registryId"), request.path("registryId"),
                record.path("recipientAccountId"));
        String region = record.path("awsRegion").asText("");
        Instant at = event.eventTime();
        if (tag.isEmpty() || digest.isEmpty() || repository.isEmpty() || at == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RecordedPush(new RepositoryLocation(account, region, RepositoryName.of(repository)),
                    Tag.of(tag), Digest.of(digest), at));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String firstText(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            if (candidate.isTextual() && !candidate.asText().isEmpty()) {
                return candidate.asText();
            }
        }
        return "";
    }
}
