package dev.ecrdigestguard.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.alert.NotificationException;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.config.RepositoryPatterns;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.metrics.GuardMetrics;
import dev.ecrdigestguard.retag.FakeRewriting;
import dev.ecrdigestguard.retag.InMemoryRegistry;
import dev.ecrdigestguard.retag.Retagger;
import dev.ecrdigestguard.testing.CapturedLog;
import dev.ecrdigestguard.testing.RegistryCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One production push through guard, re-tag, silencing and alerting, with every port an in-memory fake. */
class ProductionPushResponseTest {

    static final RepositoryName REPO = RepositoryName.of("shop-api");
    static final ProductionTags PRODUCTION = ProductionTags.parse("tag-*");
    static final Manifest IMAGE = Manifest.of(("{\"schemaVersion\":2,\"mediaType\":\""
            + FakeRewriting.OCI + "\",\"config\":{},\"layers\":[]}").getBytes(StandardCharsets.UTF_8), FakeRewriting.OCI);
    static final Instant DEADLINE = Instant.parse("2030-01-01T00:00:00Z");

    final InMemoryRegistry registry = new InMemoryRegistry(REPO).put(IMAGE, "tag-1-252-0", "tag-1-253-0");
    final GuardMetrics metrics = new GuardMetrics();
    final CapturedLog log = new CapturedLog();

    @AfterEach
    void restoreLog() {
        log.close();
    }

    /** Records what it is sent; fails with a retryable error when {@code down}. */
    static final class Channel implements Notifier {
        final String name;
        final boolean down;
        final List<GuardReport> sent = new ArrayList<>();

        Channel(String name, boolean down) {
            this.name = name;
            this.down = down;
        }

        @Override
        public String channel() {
            return name;
        }

        @Override
        public void send(GuardReport report) {
            if (down) {
                throw new NotificationException(name + " is down", true, null);
            }
            sent.add(report);
        }
    }

    final Channel sns = new Channel("sns", false);

    ProductionPushResponse response(boolean retag, RepositoryPatterns silenced, Notifier... channels) {
        Optional<Retagger> retagging = retag
                ? Optional.of(new Retagger(registry, new FakeRewriting(), PRODUCTION, false))
                : Optional.empty();
        return new ProductionPushResponse(new GuardPorts(new RegistryCatalog(registry),
                new AlertFanOut(List.of(channels)), retagging), PRODUCTION, silenced);
    }

    static PushEvent push(String tag) {
        return new PushEvent("0a6b2c3d-4e5f-4071-8a9b-0c1d2e3f4a5b", Instant.parse("2022-12-22T09:41:12Z"),
                "123456789012", "eu-west-1", REPO, IMAGE.digest(), Tag.of(tag), Optional.empty(), Optional.empty());
    }

    @Test
    void respond_isClean_andSendsNothing_whenTheReleaseHasADigestOfItsOwn() {
        InMemoryRegistry alone = new InMemoryRegistry(REPO).put(IMAGE, "tag-1-253-0");
        ProductionPushResponse response = new ProductionPushResponse(new GuardPorts(new RegistryCatalog(alone),
                new AlertFanOut(List.of(sns))), PRODUCTION, RepositoryPatterns.none());

        GuardOutcome outcome = response.respond(push("tag-1-253-0"), metrics, DEADLINE).outcome();

        assertThat(outcome).isEqualTo(GuardOutcome.CLEAN);
        assertThat(sns.sent).isEmpty();
        assertThat(metrics.value(GuardMetrics.FINDINGS)).isZero();
        assertThat(metrics.value(GuardMetrics.ALERTS_SENT)).isZero();
    }

    @Test
    void respond_alertsAndCountsTheFinding_whenTheReleaseSharesItsDigest() {
        GuardOutcome outcome = response(false, RepositoryPatterns.none(), sns)
                .respond(push("tag-1-253-0"), metrics, DEADLINE).outcome();

        assertThat(outcome).isEqualTo(GuardOutcome.ALERTED);
        assertThat(sns.sent).hasSize(1);
        assertThat(metrics.value(GuardMetrics.FINDINGS)).isEqualTo(1);
        assertThat(metrics.value(GuardMetrics.FINDINGS + "SharedDigest")).isEqualTo(1);
        assertThat(metrics.value(GuardMetrics.ALERTS_SENT + "Sns")).isEqualTo(1);
    }

    @Test
    void respond_retagsAndCountsTheRetagOnce_inRetagMode() {
        GuardOutcome outcome = response(true, RepositoryPatterns.none(), sns)
                .respond(push("tag-1-253-0"), metrics, DEADLINE).outcome();

        assertThat(outcome).isEqualTo(GuardOutcome.RETAGGED);
        assertThat(registry.digestOf("tag-1-253-0")).isPresent().get().isNotEqualTo(IMAGE.digest());
        assertThat(metrics.value(GuardMetrics.RETAGS)).isEqualTo(1);
        assertThat(metrics.value(GuardMetrics.FINDINGS + "Retagged")).isEqualTo(1);
        assertThat(sns.sent).hasSize(1);
    }

    @Test
    void respond_countsButNeitherRetagsNorAlerts_whenTheRepositoryIsSilenced() {
        GuardOutcome outcome = response(true, RepositoryPatterns.parse("shop-*"), sns)
                .respond(push("tag-1-253-0"), metrics, DEADLINE).outcome();

        assertThat(outcome).isEqualTo(GuardOutcome.SILENCED);
        assertThat(registry.digestOf("tag-1-253-0")).contains(IMAGE.digest());
        assertThat(sns.sent).isEmpty();
        assertThat(metrics.value(GuardMetrics.SILENCED)).isEqualTo(1);
        assertThat(metrics.value(GuardMetrics.FINDINGS)).isEqualTo(1);
        assertThat(log.text()).contains("repository is silenced; no re-tag, no alert");
    }

    @Test
    void respond_isAlertedPartially_andDoesNotThrow_whenOneChannelFails() {
        Channel slack = new Channel("slack", true);

        GuardOutcome outcome = response(false, RepositoryPatterns.none(), sns, slack)
                .respond(push("tag-1-253-0"), metrics, DEADLINE).outcome();

        assertThat(outcome).isEqualTo(GuardOutcome.ALERTED_PARTIALLY);
        assertThat(metrics.value(GuardMetrics.ALERTS_SENT)).isEqualTo(1);
        assertThat(metrics.value(GuardMetrics.ALERTS_FAILED + "Slack")).isEqualTo(1);
        assertThat(metrics.value(GuardMetrics.ALERTS_UNDELIVERED)).isZero();
        assertThat(log.text()).contains("alert delivered on some channels only; not retried, to avoid duplicates");
    }

    @Test
    void respond_throwsAfterCountingTheMiss_whenNoChannelGotTheAlert() {
        ProductionPushResponse response = response(false, RepositoryPatterns.none(), new Channel("sns", true));

        assertThatThrownBy(() -> response.respond(push("tag-1-253-0"), metrics, DEADLINE))
                .isInstanceOf(NotificationException.class);
        assertThat(metrics.value(GuardMetrics.ALERTS_UNDELIVERED)).isEqualTo(1);
        assertThat(log.text()).contains("no channel got the alert; failing the invocation so Lambda retries it");
    }
}
