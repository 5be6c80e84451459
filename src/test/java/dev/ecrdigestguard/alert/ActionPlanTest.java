package dev.ecrdigestguard.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.ecrdigestguard.config.BuildInfo;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.RetagRefusedFinding;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.testing.Reports;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActionPlanTest {

    private static final ProductionTags PATTERNS = ProductionTags.parse("tag-*");
    private static final BuildInfo BUILD = new BuildInfo("0.1.0", Optional.of("09a9c5e5f19b"),
            "https://github.com/example/ecr-digest-guard");

    @Test
    void writeUp_doNowIsTheRetagCommand_confirmIsTheLiveCheck_andEveryOtherStepComesOnce() {
        ActionPlan plan = ActionPlan.of(Reports.writeUp(), PATTERNS, BUILD);

        assertThat(plan.doNow().text()).startsWith("Give tag-1-253-0 a digest of its own");
        assertThat(plan.doNow().command()).contains("java -jar ecr-digest-guard.jar retag --region eu-west-1"
                + " --repository shop-api --tag tag-1-253-0 --production-tags 'tag-*'");
        assertThat(plan.confirm().command()).contains("java -jar ecr-digest-guard.jar check --region eu-west-1"
                + " --repository shop-api --tag tag-1-253-0 --production-tags 'tag-*'");
        assertThat(plan.otherSteps()).extracting(ActionPlan.Step::text).doesNotHaveDuplicates()
                .noneMatch(text -> text.contains("digest of its own"))
                .anyMatch(text -> text.startsWith("Raise the countNumber of rule 1 'Keep last 5 production images'"
                        + " to 6"));
    }

    @Test
    void links_pointAtTheImageInTheConsole_andAtTheRunbookOfThisVersion() {
        ActionPlan plan = ActionPlan.of(Reports.writeUp(), PATTERNS, BUILD);

        assertThat(plan.imageConsoleUrl()).contains("https://eu-west-1.console.aws.amazon.com/ecr/repositories/private/"
                + "123456789012/shop-api/_/image/" + Reports.DIGEST + "/details?region=eu-west-1");
        assertThat(plan.runbookUrl()).isEqualTo("https://github.com/example/ecr-digest-guard/blob/v0.1.0/"
                + "docs/operations.md#an-alert-came-in-what-it-asks-of-you");
        assertThat(new BuildInfo("0.2.0-SNAPSHOT", Optional.empty(), "https://h").runbookUrl())
                .startsWith("https://h/blob/main/");
    }

    @Test
    void consoleLink_followsThePartition_andIsLeftOutForAMalformedAccountOrRegion() {
        assertThat(ActionPlan.consoleUrl(push("cn-north-1", "123456789012")))
                .hasValueSatisfying(url -> assertThat(url).startsWith("https://console.amazonaws.cn/ecr/"));
        assertThat(ActionPlan.consoleUrl(push("us-gov-west-1", "123456789012")))
                .hasValueSatisfying(url -> assertThat(url).startsWith("https://console.amazonaws-us-gov.com/ecr/"));
        assertThat(ActionPlan.consoleUrl(push("eu-west-1", "evil.example/x"))).isEmpty();
        assertThat(ActionPlan.consoleUrl(push("", "123456789012"))).isEmpty();
    }

    @Test
    void aRetagTheGuardWasRefused_isNotOfferedAgain() {
        GuardReport writeUp = Reports.writeUp();
        List<Finding> findings = new ArrayList<>(writeUp.findings());
        findings.add(new RetagRefusedFinding(RepositoryName.of("shop-api"), Tag.of("tag-1-253-0"), Reports.DIGEST,
                List.of(Tag.of("tag-1-252-0")), "tag tag-1-253-0 is immutable in shop-api"));

        ActionPlan plan = ActionPlan.of(new GuardReport(writeUp.event(), findings, "refused"), PATTERNS, BUILD);

        assertThat(plan.doNow().command()).isEmpty();
        assertThat(plan.doNow().text()).startsWith("Raise the countNumber of rule 1");
        assertThat(plan.otherSteps()).allSatisfy(step -> assertThat(step.command()).isEmpty());
    }

    @Test
    void aReportWithoutFindings_hasNoPlan() {
        GuardReport clean = new GuardReport(Reports.collision().event(), List.of(), "clean");

        assertThatIllegalArgumentException().isThrownBy(() -> ActionPlan.of(clean, PATTERNS, BUILD));
    }

    private static PushEvent push(String region, String account) {
        PushEvent base = Reports.collision().event();
        return new PushEvent(base.eventId(), base.time(), account, region, base.repository(), base.digest(),
                base.tag(), Optional.empty(), Optional.empty());
    }
}
