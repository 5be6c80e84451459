package dev.ecrdigestguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.alert.sns.SnsAlertRenderer;
import dev.ecrdigestguard.alert.sns.SnsNotifier;
import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.config.TopicArn;
import dev.ecrdigestguard.ecr.EcrImageCatalog;
import dev.ecrdigestguard.event.EcrEventReader;
import dev.ecrdigestguard.event.EventReading;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.guard.PushGuard;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The cold-start benchmark's stub must answer the guard's adapters the way ECR and SNS do, through the real SDK;
 * this keeps it honest as the adapters and the SDK change (the benchmark itself is not part of the normal build).
 */
class AwsStubTest {

    private static final RepositoryName REPOSITORY = RepositoryName.of("shop-api");

    private AwsStub stub;
    private EcrClient ecr;
    private SnsClient sns;

    @BeforeEach
    void start() throws Exception {
        stub = new AwsStub(Path.of("events/snapshot"));
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test-access-key", "test-secret-key"));
        ecr = EcrClient.builder().httpClient(AwsClients.http()).region(Region.EU_WEST_1)
                .credentialsProvider(credentials).endpointOverride(URI.create(stub.endpoint())).build();
        sns = SnsClient.builder().httpClient(AwsClients.http()).region(Region.EU_WEST_1)
                .credentialsProvider(credentials).endpointOverride(URI.create(stub.endpoint())).build();
    }

    @AfterEach
    void stop() {
        ecr.close();
        sns.close();
        stub.close();
    }

    @Test
    void collisionEvent_goesThroughTheAdapters_toAnAlertThatIsPublished() throws Exception {
        // GIVEN the benchmark's case (c) event
        EventReading.Push push;
        try (InputStream event = Files.newInputStream(Path.of("events/push-collision.json"))) {
            push = (EventReading.Push) EcrEventReader.read(event);
        }

        // WHEN the guard checks it against the stub and publishes the alert
        GuardReport report = new PushGuard(ProductionTags.parse("tag-*"), new EcrImageCatalog(ecr)).inspect(push.event());
        new SnsNotifier(sns, new TopicArn("arn:aws:sns:eu-west-1:123456789012:ecr-digest-guard-alerts"),
                new SnsAlertRenderer(ProductionTags.parse("tag-*"))).send(report);

        // THEN the image was found with its recorded tags, the finding raised and the alert accepted
        assertThat(report.findings()).hasSize(1);
        assertThat(stub.takeCalls()).containsEntry("DescribeImages", 1).containsEntry("Publish", 1);
    }

    @Test
    void describeImage_ofAnUnknownDigest_isEmpty_andThereIsNoLifecyclePolicy_unlessAsked() {
        EcrImageCatalog catalog = new EcrImageCatalog(ecr);

        assertThat(catalog.describeImage(REPOSITORY, Digest.of("sha256:" + "0".repeat(64)))).isEmpty();
        assertThat(catalog.lifecyclePolicyText(REPOSITORY)).isEmpty();
        stub.servePolicy(true);
        assertThat(catalog.lifecyclePolicyText(REPOSITORY)).hasValueSatisfying(text -> assertThat(text).contains("rules"));
    }

    @Test
    void forEachImage_pagesThroughTheRecordedRepository() {
        List<ImageRecord> images = new ArrayList<>();

        new EcrImageCatalog(ecr).forEachImage(REPOSITORY, images::add);

        assertThat(images).hasSize(11);
        assertThat(images).anySatisfy(image -> assertThat(image.tags()).contains(Tag.of("tag-1-253-0")));
    }
}
