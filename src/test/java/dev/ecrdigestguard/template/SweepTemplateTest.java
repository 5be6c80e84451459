package dev.ecrdigestguard.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.event.SweepEventReader;
import dev.ecrdigestguard.event.SweepRequest;
import dev.ecrdigestguard.testing.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The release ledger's table and the scheduled sweep in template.yaml, checked against the code that uses them. */
class SweepTemplateTest {

    private final Map<String, Object> template = CloudFormationYaml.load(Path.of("template.yaml"));

    @Test
    void ledgerTable_isOnDemand_encrypted_recoverable_andKeptWhenTheStackGoes() {
        Map<String, Object> table = resource("LedgerTable");
        Map<String, Object> properties = map(table.get("Properties"));

        assertThat(table).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
        assertThat(properties).containsEntry("BillingMode", "PAY_PER_REQUEST")
                .containsEntry("SSESpecification", Map.of("SSEEnabled", true))
                .containsEntry("PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true))
                .containsEntry("TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true));
        assertThat(JsonTrees.write(properties.get("KeySchema"))).contains("\"pk\"", "HASH", "\"sk\"", "RANGE");
        assertThat(map(map(map(resource("PushGuardFunction").get("Properties")).get("Environment")).get("Variables")))
                .containsEntry(GuardConfig.LEDGER_TABLE, Map.of("Ref", "LedgerTable"));
    }

    @Test
    void schedule_sendsTheEventTheHandlerReads_oncePlaceholdersAreFilledIn() {
        Map<String, Object> target = map(map(resource("SweepScheduler").get("Properties")).get("Target"));
        String input = String.valueOf(target.get("Input"))
                .replace("<aws.scheduler.scheduled-time>", "2024-03-01T06:00:00Z")
                .replace("<aws.scheduler.execution-id>", "d32c5kddcf5bb8c3");

        SweepEventReader.Reading reading = SweepEventReader.read(input.getBytes(StandardCharsets.UTF_8));

        assertThat(reading).isEqualTo(new SweepEventReader.Reading.Request(new SweepRequest.Scheduled(
                Instant.parse("2024-03-01T06:00:00Z"), "d32c5kddcf5bb8c3")));
        assertThat(target).containsEntry("Arn", Map.of("Ref", "PushGuardFunction.Alias"));
        assertThat(JsonTrees.write(target.get("DeadLetterConfig"))).contains("FailedEventsQueue");
    }

    @Test
    void schedule_isOnByDefault_everySixHours_andOffWhenEmpty() {
        Map<String, Object> parameter = map(map(template.get("Parameters")).get("SweepSchedule"));
        Pattern allowed = Pattern.compile(String.valueOf(parameter.get("AllowedPattern")));

        assertThat(parameter).containsEntry("Default", "rate(6 hours)");
        assertThat(List.of("", "rate(6 hours)", "rate(1 day)", "cron(0 */6 * * ? *)"))
                .allMatch(value -> allowed.matcher(value).matches());
        assertThat(List.of("6 hours", "rate(0 hours)", "rate(6 hours); echo", "cron()"))
                .noneMatch(value -> allowed.matcher(value).matches());
        assertThat(map(template.get("Conditions"))).containsEntry("SweepEnabled",
                Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "SweepSchedule"), "")))));
        for (String name : List.of("SweepScheduler", "SweepSchedulerRole", "SweepHandOnPolicy",
                "ReleasesAtRiskAlarm")) {
            assertThat(resource(name)).as(name).containsEntry("Condition", "SweepEnabled");
        }
    }

    @Test
    void schedulesRole_mayStartTheSweep_forThisAccountsSchedulesOnly() {
        Map<String, Object> role = map(resource("SweepSchedulerRole").get("Properties"));

        assertThat(JsonTrees.write(role.get("AssumeRolePolicyDocument"))).contains("scheduler.amazonaws.com",
                "aws:SourceAccount");
        assertThat(JsonTrees.write(role.get("Policies"))).contains("lambda:InvokeFunction", "PushGuardFunction.Alias",
                "sqs:SendMessage", "FailedEventsQueue");
    }

    @Test
    void handOn_goesToTheAlias_whoseRetriesAndFailureQueueApply() {
        Map<String, Object> function = map(resource("PushGuardFunction").get("Properties"));

        assertThat(map(map(function.get("Environment")).get("Variables")))
                .containsEntry(GuardConfig.SWEEP_HAND_ON_ALIAS, function.get("AutoPublishAlias"));
    }

    @Test
    void handOn_mayInvokeTheFunctionItself_andNothingElse() {
        Map<String, Object> policy = map(resource("SweepHandOnPolicy").get("Properties"));

        assertThat(policy.get("Roles")).isEqualTo(List.of(Map.of("Ref", "PushGuardFunctionRole")));
        assertThat(JsonTrees.write(policy.get("PolicyDocument")))
                .contains("lambda:InvokeFunction", "PushGuardFunction.Arn").doesNotContain("\"*\"");
    }

    private Map<String, Object> resource(String name) {
        Map<String, Object> resources = map(template.get("Resources"));
        assertThat(resources).containsKey(name);
        return map(resources.get(name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
