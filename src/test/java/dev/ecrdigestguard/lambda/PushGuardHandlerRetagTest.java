package dev.ecrdigestguard.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.alert.sns.SnsAlertRenderer;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.config.RepositoryPatterns;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.RetagRefusedFinding;
import dev.ecrdigestguard.finding.RetaggedFinding;
import dev.ecrdigestguard.guard.GuardPorts;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.registry.ImageRegistry.TagMutability;
import dev.ecrdigestguard.registry.RegistryException;
import dev.ecrdigestguard.retag.FakeRewriting;
import dev.ecrdigestguard.retag.InMemoryRegistry;
import dev.ecrdigestguard.retag.Retagger;
import dev.ecrdigestguard.testing.CapturedLog;
import dev.ecrdigestguard.testing.RegistryCatalog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The handler in MODE=RETAG, with the registry and the alert channel replaced by in-memory fakes. */
class PushGuardHandlerRetagTest {

    static final RepositoryName REPO = RepositoryName.of("shop-api");
    static final GuardConfig RETAG = GuardConfig.from(Map.of(
            GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*", GuardConfig.MODE, "RETAG",
            GuardConfig.ALERT_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:guard"));
    static final Manifest IMAGE = Manifest.of(("{\"schemaVersion\":2,\"mediaType\":\""
            + FakeRewriting.OCI + "\",\"config\":{},\"layers\":[]}").getBytes(StandardCharsets.UTF_8), FakeRewriting.OCI);

    final InMemoryRegistry registry = new InMemoryRegistry(REPO).put(IMAGE, "tag-1-252-0", "tag-1-253-0");
    final List<GuardReport> alerts = new ArrayList<>();

    final ImageCatalog catalog = new RegistryCatalog(registry);

    final Notifier notifier = new Notifier() {
        @Override
        public String channel() {
            return "test";
        }

        @Override
        public void send(GuardReport report) {
            alerts.add(report);
        }
    };

    PushGuardHandler handler(boolean retag) {
        ProductionTags production = RETAG.productionTags();
        return new PushGuardHandler(RETAG, () -> new GuardPorts(catalog, new AlertFanOut(List.of(notifier)),
                retag ? Optional.of(new Retagger(registry, new FakeRewriting(), production, false)) : Optional.empty()));
    }

    /** The real collision event, pointed at this test's repository and digest. */
    static byte[] pushEvent(Digest digest) throws IOException {
        String event = Files.readString(Path.of("events/push-collision.json"));
        return event.replace("sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c",
                digest.value()).getBytes(StandardCharsets.UTF_8);
    }

    static String handle(PushGuardHandler handler, Digest digest) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(pushEvent(digest)), output, null);
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void handle_retagsTheSharedTag_andAlertsWithOldAndNewDigest() throws IOException {
        String outcome = handle(handler(true), IMAGE.digest());

        assertThat(outcome).isEqualTo("{\"outcome\":\"RETAGGED\"}");
        Digest moved = registry.digestOf("tag-1-253-0").orElseThrow();
        assertThat(moved).isNotEqualTo(IMAGE.digest());
        assertThat(registry.digestOf("tag-1-252-0")).contains(IMAGE.digest());
        assertThat(alerts).hasSize(1);
        Finding finding = alerts.get(0).findings().get(0);
        assertThat(finding).isInstanceOf(RetaggedFinding.class);
        assertThat(((RetaggedFinding) finding).newDigest()).isEqualTo(moved);
        String alert = new SnsAlertRenderer(ProductionTags.parse("tag-*")).render(alerts.get(0)).message();
        assertThat(alert).contains("RETAGGED", IMAGE.digest().value(), moved.value(), "signatures");
    }

    @Test
    void handle_doesNothing_forTheEventOfItsOwnPush() throws IOException {
        PushGuardHandler handler = handler(true);
        handle(handler, IMAGE.digest());
        Digest moved = registry.digestOf("tag-1-253-0").orElseThrow();
        int writes = registry.writes().size();

        String outcome = handle(handler, moved);

        assertThat(outcome).isEqualTo("{\"outcome\":\"CLEAN\"}");
        assertThat(registry.writes()).hasSize(writes);
        assertThat(alerts).hasSize(1);
    }

    @Test
    void handle_doesNothingMore_whenTheSameEventArrivesTwice() throws IOException {
        PushGuardHandler handler = handler(true);
        handle(handler, IMAGE.digest());
        int manifests = registry.manifestCount();

        String outcome = handle(handler, IMAGE.digest());

        assertThat(outcome).isEqualTo("{\"outcome\":\"CLEAN\"}");
        assertThat(registry.manifestCount()).isEqualTo(manifests);
    }

    @Test
    void handle_alertsThatRetaggingIsImpossible_whenTheTagIsImmutable() throws IOException {
        registry.mutability(TagMutability.IMMUTABLE);

        String outcome = handle(handler(true), IMAGE.digest());

        assertThat(outcome).isEqualTo("{\"outcome\":\"RETAG_REFUSED\"}");
        assertThat(registry.writes()).isEmpty();
        assertThat(alerts.get(0).findings().get(0)).isInstanceOf(RetagRefusedFinding.class);
        assertThat(alerts.get(0).findings().get(0).explanation()).contains("immutable");
    }

    @Test
    void handle_failsTheInvocationWithoutAlerting_whenARetryCanFinishTheRetag() {
        registry.failNextTaggedPush(new RegistryException("ecr:PutImage failed: ServerException (HTTP 500)", true));

        assertThatThrownBy(() -> handle(handler(true), IMAGE.digest())).isInstanceOf(RegistryException.class);
        assertThat(registry.digestOf("tag-1-253-0")).contains(IMAGE.digest());
        assertThat(alerts).isEmpty();
    }

    @Test
    void handle_alertsARefusal_whenTheRegistryFailsInAWayARetryCannotFix() throws IOException {
        registry.failNextTaggedPush(new RegistryException("ecr:PutImage failed: InvalidParameterException", false));

        String outcome = handle(handler(true), IMAGE.digest());

        assertThat(outcome).isEqualTo("{\"outcome\":\"RETAG_REFUSED\"}");
        assertThat(alerts.get(0).findings().get(0).explanation()).contains("retrying can't help");
    }

    @Test
    void handle_neitherRetagsNorAlerts_inASilencedRepository() throws IOException {
        GuardConfig silencedConfig = new GuardConfig(RETAG.productionTags(), RETAG.alertTopic(), RETAG.mode(),
                RETAG.logLevel(), Optional.empty(), RepositoryPatterns.parse("shop-*"), false);
        ProductionTags production = RETAG.productionTags();
        PushGuardHandler handler = new PushGuardHandler(silencedConfig, () -> new GuardPorts(catalog,
                new AlertFanOut(List.of(notifier)),
                Optional.of(new Retagger(registry, new FakeRewriting(), production, false))));

        String outcome = handle(handler, IMAGE.digest());

        assertThat(outcome).isEqualTo("{\"outcome\":\"SILENCED\"}");
        assertThat(registry.writes()).isEmpty();
        assertThat(alerts).isEmpty();
    }

    @Test
    void handle_onlyAlerts_inAlertMode() throws IOException {
        String outcome = handle(handler(false), IMAGE.digest());

        assertThat(outcome).isEqualTo("{\"outcome\":\"ALERTED\"}");
        assertThat(registry.writes()).isEmpty();
    }

    @Test
    void handle_countsTheRetag_inTheMetricsLine() throws IOException {
        try (CapturedLog log = new CapturedLog()) {
            handle(handler(true), IMAGE.digest());

            assertThat(log.lines().get(log.lines().size() - 1))
                    .contains("\"Retags\":1", "\"outcome\":\"RETAGGED\"");
        }
    }

    @Test
    void handle_countsTheRefusal_inTheMetricsLine() throws IOException {
        registry.mutability(TagMutability.IMMUTABLE);
        try (CapturedLog log = new CapturedLog()) {
            handle(handler(true), IMAGE.digest());

            assertThat(log.lines().get(log.lines().size() - 1))
                    .contains("\"RetagsRefused\":1", "\"outcome\":\"RETAG_REFUSED\"");
        }
    }
}
