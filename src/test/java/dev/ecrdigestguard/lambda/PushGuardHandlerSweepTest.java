package dev.ecrdigestguard.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.config.SweepSettings;
import dev.ecrdigestguard.event.SweepRequest;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.guard.GuardPorts;
import dev.ecrdigestguard.guard.PortsByRegistry;
import dev.ecrdigestguard.guard.PushHistory;
import dev.ecrdigestguard.guard.RepositoryLister;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.sweep.SweepPorts;
import dev.ecrdigestguard.sweep.Sweeper;
import dev.ecrdigestguard.testing.CapturedLog;
import dev.ecrdigestguard.testing.FakeContext;
import dev.ecrdigestguard.testing.InMemoryLedger;
import dev.ecrdigestguard.testing.InMemorySweepState;
import dev.ecrdigestguard.testing.RegistryCatalog;
import dev.ecrdigestguard.testing.SampleEvents;
import dev.ecrdigestguard.retag.InMemoryRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The handler on the guard's own sweep events: told apart from ECR's, read strictly, run with the invocation's time. */
class PushGuardHandlerSweepTest {

    static final GuardConfig CONFIG = GuardConfig.forFunction(Map.of(GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*",
            GuardConfig.ALERT_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:guard"));
    static final String TICK = "{\"source\":\"ecr-digest-guard\",\"detail-type\":\"Sweep\",\"version\":\"1\","
            + "\"time\":\"2024-03-01T06:00:00Z\",\"id\":\"d32c5kddcf5bb8c3\"}";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-01T06:00:01Z"), ZoneOffset.UTC);

    final List<AccountRegion> listed = new ArrayList<>();
    final List<SweepRequest.Slice> handedOn = new ArrayList<>();
    final InMemorySweepState state = new InMemorySweepState();

    PortsByRegistry ports() {
        AlertFanOut alerts = new AlertFanOut(List.of(new Notifier() {
            @Override
            public String channel() {
                return "test";
            }

            @Override
            public void send(GuardReport report) {
            }
        }));
        return new PortsByRegistry() {
            @Override
            public GuardPorts forRegistry(AccountRegion registry) {
                return new GuardPorts(new RegistryCatalog(new InMemoryRegistry(RepositoryName.of("shop-api"))), alerts, Optional.empty(),
                        new InMemoryLedger());
            }

            @Override
            public AlertFanOut alerts() {
                return alerts;
            }
        };
    }

    PushGuardHandler handler(boolean withTable) {
        PortsByRegistry ports = ports();
        SweepPorts sweepPorts = new SweepPorts() {
            @Override
            public PortsByRegistry guard() {
                return ports;
            }

            @Override
            public RepositoryLister repositories(AccountRegion registry) {
                listed.add(registry);
                return consumer -> { };
            }

            @Override
            public PushHistory history(AccountRegion registry) {
                return (from, to, token) -> new PushHistory.Page(List.of(), 0, Optional.empty());
            }

            @Override
            public List<String> organizationAccounts() {
                return List.of();
            }
        };
        Optional<Sweeper> sweeper = withTable ? Optional.of(new Sweeper(CONFIG,
                SweepSettings.ownRegistry(Optional.of("ledger")), sweepPorts, state, handedOn::add, CLOCK))
                : Optional.empty();
        return new PushGuardHandler(CONFIG, ports, sweeper, CLOCK);
    }

    static String invoke(PushGuardHandler handler, String event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output,
                new FakeContext("req-1", "ecr-digest-guard", 60_000));
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void scheduleTick_sweepsTheFunctionsOwnAccountAndRegion_fromItsArn() throws IOException {
        try (CapturedLog log = new CapturedLog()) {
            String output = invoke(handler(true), TICK);

            assertThat(output).isEqualTo("{\"outcome\":\"SWEPT\"}");
            assertThat(listed).containsExactly(AccountRegion.of("123456789012", "eu-west-1"));
            assertThat(handedOn).as("one registry, swept in one step").isEmpty();
            assertThat(log.text()).contains("the registry's sweep is finished");
        }
    }

    @Test
    void sweepEvent_thatIsMalformed_isRefusedWithTheFieldNamed_andNothingIsRead() throws IOException {
        try (CapturedLog log = new CapturedLog()) {
            String output = invoke(handler(true), TICK.replace("}", ",\"repositories\":\"*\"}"));

            assertThat(output).isEqualTo("{\"outcome\":\"MALFORMED\"}");
            assertThat(listed).isEmpty();
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("\"level\":\"ERROR\"")
                    .contains("repositories is not a field of a sweep event"));
        }
    }

    @Test
    void sweepEvent_largerThanAnyTheGuardSends_isRefused_notHandedToTheEcrReader() throws IOException {
        try (CapturedLog log = new CapturedLog()) {
            String output = invoke(handler(true), TICK.replace("}", ",\"pad\":\"" + "x".repeat(10_000) + "\"}"));

            assertThat(output).isEqualTo("{\"outcome\":\"MALFORMED\"}");
            assertThat(listed).isEmpty();
            assertThat(log.text()).contains("sweep event is larger than 4096 bytes");
        }
    }

    @Test
    void sweepEvent_withoutTheLedgerTable_isIgnoredSayingWhy() throws IOException {
        try (CapturedLog log = new CapturedLog()) {
            String output = invoke(handler(false), TICK);

            assertThat(output).isEqualTo("{\"outcome\":\"IGNORED\"}");
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("LEDGER_TABLE"));
        }
    }

    @Test
    void ecrEvents_stillGoToTheEcrReader() throws IOException {
        try (CapturedLog log = new CapturedLog()) {
            String output = invoke(handler(true), new String(SampleEvents.bytes(SampleEvents.NON_PRODUCTION),
                    StandardCharsets.UTF_8));

            assertThat(output).isEqualTo("{\"outcome\":\"NOT_PRODUCTION\"}");
            assertThat(listed).isEmpty();
        }
    }
}
