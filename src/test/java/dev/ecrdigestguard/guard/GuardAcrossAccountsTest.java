package dev.ecrdigestguard.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.event.EventReading;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.AccountUnreachableFinding;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.metrics.GuardMetrics;
import dev.ecrdigestguard.retag.InMemoryRegistry;
import dev.ecrdigestguard.testing.CapturedLog;
import dev.ecrdigestguard.testing.RegistryCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Guard} with ports chosen per registry: a push is read with the ports of the account and region it came from,
 * and an account that refuses the guard's credentials is reported, not left to a failed invocation.
 */
class GuardAcrossAccountsTest {

    static final AccountRegion B_IRELAND = AccountRegion.of("111111111111", "eu-west-1");
    static final AccountRegion B_VIRGINIA = AccountRegion.of("111111111111", "us-east-1");
    static final AccountRegion C_IRELAND = AccountRegion.of("222222222222", "eu-west-1");
    static final String ROLE_IN_C = "arn:aws:iam::222222222222:role/ecr-digest-guard-member";
    static final GuardConfig CONFIG = new GuardConfig(ProductionTags.parse("tag-*"), Optional.empty(),
            GuardConfig.Mode.ALERT, GuardConfig.LogLevel.INFO);
    static final Manifest IMAGE = Manifest.of("{\"schemaVersion\":2,\"config\":{},\"layers\":[]}"
            .getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.manifest.v1+json");
    static final Instant DEADLINE = Instant.parse("2030-01-01T00:00:00Z");

    final ProductionPushResponseTest.Channel sns = new ProductionPushResponseTest.Channel("sns", false);
    final AlertFanOut alerts = new AlertFanOut(List.of(sns));
    final GuardMetrics metrics = new GuardMetrics();
    final CapturedLog log = new CapturedLog();
    final FakeRegistries registries = new FakeRegistries();

    @AfterEach
    void restoreLog() {
        log.close();
    }

    /** A registry per account and region; an account can be made to refuse the guard's role. */
    final class FakeRegistries implements PortsByRegistry {
        final Map<AccountRegion, InMemoryRegistry> images = new HashMap<>();
        final Map<String, AccountAccessException> refusals = new HashMap<>();
        final List<AccountRegion> asked = new ArrayList<>();

        FakeRegistries holding(AccountRegion where, String... tags) {
            images.put(where, new InMemoryRegistry(ProductionPushResponseTest.REPO).put(IMAGE, tags));
            return this;
        }

        @Override
        public GuardPorts forRegistry(AccountRegion registry) {
            asked.add(registry);
            if (refusals.containsKey(registry.account())) {
                throw refusals.get(registry.account());
            }
            return new GuardPorts(new RegistryCatalog(images.get(registry)), alerts);
        }

        @Override
        public AlertFanOut alerts() {
            return alerts;
        }
    }

    private GuardResponse push(AccountRegion from, String tag) {
        Digest digest = Optional.ofNullable(registries.images.get(from))
                .flatMap(registry -> registry.digestOf(tag))
                .orElse(Digest.of("sha256:" + "c".repeat(64)));
        PushEvent event = new PushEvent("event-" + from, Instant.parse("2022-12-22T09:41:12Z"), from.account(),
                from.region(), ProductionPushResponseTest.REPO, digest, Tag.of(tag), Optional.empty(),
                Optional.empty());
        return new Guard(CONFIG, registries).respond(new EventReading.Push(event), metrics, DEADLINE);
    }

    @Test
    void respond_readsThePush_withThePortsOfTheAccountAndRegionItCameFrom() {
        // GIVEN the same repository in two regions of B and in C: only B's Virginia registry shares the digest
        registries.holding(B_IRELAND, "tag-1").holding(B_VIRGINIA, "tag-1", "tag-2").holding(C_IRELAND, "tag-1");

        // WHEN the same tag is pushed in each
        GuardResponse virginia = push(B_VIRGINIA, "tag-2");
        GuardResponse ireland = push(B_IRELAND, "tag-1");
        GuardResponse c = push(C_IRELAND, "tag-1");

        // THEN each was read where it was pushed
        assertThat(registries.asked).containsExactly(B_VIRGINIA, B_IRELAND, C_IRELAND);
        assertThat(virginia.outcome()).isEqualTo(GuardOutcome.ALERTED);
        assertThat(ireland.outcome()).isEqualTo(GuardOutcome.CLEAN);
        assertThat(c.outcome()).isEqualTo(GuardOutcome.CLEAN);
        assertThat(sns.sent).singleElement().satisfies(report ->
                assertThat(report.event().registry()).isEqualTo(B_VIRGINIA));
    }

    @Test
    void respond_logsTheAccountAndRegion_withEveryLineOfThePush() {
        registries.holding(B_VIRGINIA, "tag-1", "tag-2");

        push(B_VIRGINIA, "tag-2");

        assertThat(log.lines()).isNotEmpty().allSatisfy(line -> assertThat(line)
                .contains("\"account\":\"111111111111\"", "\"region\":\"us-east-1\""));
    }

    @Test
    void respond_alertsAboutTheGuardsSetup_whenTheAccountRefusesTheRole() {
        // GIVEN account C refuses the member role
        registries.refusals.put(C_IRELAND.account(), new AccountAccessException(C_IRELAND, ROLE_IN_C,
                "sts:AssumeRole on role " + ROLE_IN_C + " failed: AccessDenied (HTTP 403): not authorized", false,
                null));

        // WHEN a production tag is pushed there
        GuardResponse response = push(C_IRELAND, "tag-7");

        // THEN the push is reported as unchecked, on the usual channels, naming the account, region and role
        assertThat(response.outcome()).isEqualTo(GuardOutcome.ACCOUNT_UNREACHABLE);
        GuardReport report = sns.sent.get(0);
        assertThat(report.findings()).singleElement().isInstanceOfSatisfying(AccountUnreachableFinding.class, f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.ACCOUNT_UNREACHABLE);
            assertThat(f.severity()).isEqualTo(Finding.Severity.CRITICAL);
            assertThat(f.title()).contains("222222222222", "tag-7", "not checked");
            assertThat(f.explanation()).contains("region eu-west-1", ROLE_IN_C, "AccessDenied");
            assertThat(f.nextSteps()).anySatisfy(step -> assertThat(step.text())
                    .contains("member-template.yaml", "ecr-digest-guard-member"));
            assertThat(f.nextSteps()).anySatisfy(step -> assertThat(step.text()).contains(
                    "java -jar ecr-digest-guard.jar audit --region eu-west-1 --repository shop-api "
                            + "--production-tags 'tag-*'"));
            assertThat(f.details()).containsEntry("account", "222222222222").containsEntry("region", "eu-west-1")
                    .containsEntry("roleArn", ROLE_IN_C);
        });
        assertThat(metrics.value("FindingsAccountUnreachable")).isEqualTo(1);
        assertThat(metrics.value(GuardMetrics.ALERTS_SENT)).isEqualTo(1);
    }

    @Test
    void respond_failsTheInvocationForARetry_whenStsFailsInAWayARetryCanFix() {
        AccountAccessException throttled = new AccountAccessException(C_IRELAND, ROLE_IN_C,
                "sts:AssumeRole on role " + ROLE_IN_C + " failed: Throttling (HTTP 400): Rate exceeded", true, null);
        registries.refusals.put(C_IRELAND.account(), throttled);

        assertThatThrownBy(() -> push(C_IRELAND, "tag-7")).isSameAs(throttled);
        assertThat(sns.sent).isEmpty();
    }

    @Test
    void respond_aNonProductionPush_neverAsksForPorts() {
        GuardResponse response = push(C_IRELAND, "latest");

        assertThat(response.outcome()).isEqualTo(GuardOutcome.NOT_PRODUCTION);
        assertThat(registries.asked).isEmpty();
    }
}
