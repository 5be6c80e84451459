package dev.ecrdigestguard.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.config.MemberRole;
import dev.ecrdigestguard.testing.JsonTrees;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The two templates of an organization-wide guard, read as CloudFormation reads them: {@code template.yaml}'s
 * organization block (off by default, the one cross-account permission, a bus only the organization's ECR events reach)
 * and {@code member-template.yaml} (a role that trusts the central function alone and allows exactly what the function
 * itself is allowed on ECR, and a rule that forwards pushes and deletes). {@code MemberTemplateLintIT} runs cfn-lint.
 */
class ManyAccountsTemplateTest {

    private static final String ORG = "ForOrganization";

    private final Map<String, Object> central = CloudFormationYaml.load(Path.of("template.yaml"));
    private final Map<String, Object> member = CloudFormationYaml.load(Path.of("member-template.yaml"));

    // ---- template.yaml

    @Test
    void organization_isOffByDefault_andEveryResourceOfItIsConditional() {
        assertThat(parameter(central, "OrganizationId")).containsEntry("Default", "");
        assertThat(map(central.get("Conditions"))).containsEntry(ORG,
                Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "OrganizationId"), "")))));
        for (String name : List.of("OrganizationEventBus", "OrganizationEventBusPolicy", "OrganizationPushEventsRule",
                "OrganizationPushEventsPermission")) {
            assertThat(map(resources(central).get(name))).as(name).containsEntry("Condition", ORG);
        }
        Map<String, Object> variables = map(map(properties(central, "PushGuardFunction").get("Environment"))
                .get("Variables"));
        assertThat(variables).containsEntry("MEMBER_ROLE_NAME", Map.of("Fn::If",
                List.of(ORG, Map.of("Ref", "MemberRoleName"), Map.of("Ref", "AWS::NoValue"))));
    }

    @Test
    void parameters_acceptWhatTheCodeAccepts_andRejectTheRest() {
        Pattern organization = allowedPattern(central, "OrganizationId");
        assertThat(organization.matcher("").matches()).isTrue();
        assertThat(organization.matcher("o-a1b2c3d4e5").matches()).isTrue();
        assertThat(organization.matcher("r-a1b2").matches()).isFalse();
        assertThat(organization.matcher("o-SHOUT12345").matches()).isFalse();

        for (Map<String, Object> template : List.of(central, member)) {
            Pattern roleName = allowedPattern(template, "MemberRoleName");
            String defaultName = String.valueOf(parameter(template, "MemberRoleName").get("Default"));
            assertThat(new MemberRole(defaultName).name()).isEqualTo("ecr-digest-guard-member");
            for (String name : List.of("ecr-digest-guard-member", "Guard+Role=a,b.c@d_e-f", "x".repeat(64))) {
                assertThat(roleName.matcher(name).matches()).as(name).isTrue();
                assertThat(new MemberRole(name).name()).isEqualTo(name);
            }
            for (String name : List.of("", "path/role", "x".repeat(65), "bad name")) {
                assertThat(roleName.matcher(name).matches()).as(name).isFalse();
                assertThatThrownBy(() -> new MemberRole(name)).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void eventBusPolicy_acceptsOnlyEcrImageActions_fromAccountsOfTheOrganization() {
        Map<String, Object> statement = map(properties(central, "OrganizationEventBusPolicy").get("Statement"));
        assertThat(statement).containsEntry("Effect", "Allow").containsEntry("Principal", "*")
                .containsEntry("Action", "events:PutEvents");
        Map<String, Object> condition = map(statement.get("Condition"));
        assertThat(map(condition.get("StringEquals")))
                .containsEntry("aws:PrincipalOrgID", Map.of("Ref", "OrganizationId"))
                .containsEntry("events:detail-type", "ECR Image Action");
        assertThat(map(condition.get("ForAllValues:StringEquals"))).containsEntry("events:source", "aws.ecr");
    }

    @Test
    void organizationRule_matchesWhatPushEventsRuleMatches_onTheOrganizationBus_andInvokesTheAlias() {
        Map<String, Object> own = properties(central, "PushEventsRule");
        Map<String, Object> organization = properties(central, "OrganizationPushEventsRule");

        assertThat(organization.get("EventPattern")).isEqualTo(own.get("EventPattern"));
        assertThat(organization.get("Targets")).isEqualTo(own.get("Targets"));
        assertThat(organization).containsEntry("EventBusName", Map.of("Ref", "OrganizationEventBus"));
        assertThat(properties(central, "OrganizationPushEventsPermission")).containsEntry("SourceArn",
                Map.of("Fn::GetAtt", List.of("OrganizationPushEventsRule", "Arn")));
    }

    @Test
    void theOneCrossAccountPermission_isAssumingTheMemberRole_inTheOrganizationsAccounts() {
        List<Map<String, Object>> crossAccount = new ArrayList<>();
        for (Object entry : functionStatements()) {
            Map<String, Object> fields = map(entry);
            List<?> branches = fields.containsKey("Fn::If") ? (List<?>) fields.get("Fn::If") : List.of("", entry, "");
            Map<String, Object> statement = map(branches.get(1));
            String resource = JsonTrees.write(statement.get("Resource"));
            // Everything else names this account, a resource of this stack, or a parameter the operator sets for this
            // account; '*' only for the sweep's calls without resource-level permissions, which reach the caller's
            // own account (its CloudTrail event history, its organization's list of accounts).
            boolean thisAccount = resource.contains("AWS::AccountId") || resource.contains("\"Ref\"")
                    || resource.contains("Fn::GetAtt") || resource.equals("\"*\"")
                    && List.of("SweepBackfillFromCloudTrail", "SweepListOrganizationAccounts")
                            .contains(statement.get("Sid"));
            if (!thisAccount) {
                crossAccount.add(statement);
                assertThat(branches.get(0)).as("condition of %s", statement.get("Sid")).isEqualTo(ORG);
            }
        }
        assertThat(crossAccount).hasSize(1);
        Map<String, Object> assume = crossAccount.get(0);
        assertThat(assume.get("Action")).isEqualTo(List.of("sts:AssumeRole"));
        assertThat(assume.get("Resource"))
                .isEqualTo(Map.of("Fn::Sub", "arn:${AWS::Partition}:iam::*:role/${MemberRoleName}"));
        assertThat(assume.get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("aws:ResourceOrgID", Map.of("Ref", "OrganizationId"))));
    }

    // ---- member-template.yaml

    @Test
    void memberRole_trustsTheCentralFunctionsRoleAlone_whileItIsInTheOrganization() {
        Map<String, Object> role = properties(member, "MemberRole");
        assertThat(role).containsEntry("RoleName", Map.of("Ref", "MemberRoleName"));
        List<?> trust = (List<?>) map(role.get("AssumeRolePolicyDocument")).get("Statement");
        assertThat(trust).hasSize(1);
        Map<String, Object> statement = map(trust.get(0));
        assertThat(statement).containsEntry("Effect", "Allow").containsEntry("Action", "sts:AssumeRole")
                .containsEntry("Principal", Map.of("AWS", Map.of("Ref", "CentralFunctionRoleArn")))
                .containsEntry("Condition", Map.of("StringEquals",
                        Map.of("aws:PrincipalOrgID", Map.of("Ref", "OrganizationId"))));
    }

    @Test
    void memberRole_allowsExactlyTheEcrOperationsTheCentralFunctionIsAllowed_perMode() {
        Set<String> functionReads = actionsOf(functionStatement("ReadRepositories"));
        Set<String> functionRetags = actionsOf(functionStatement("RetagImages"));
        List<?> statements = (List<?>) map(map(((List<?>) properties(member, "MemberRole").get("Policies")).get(0))
                .get("PolicyDocument")).get("Statement");

        Set<String> functionSweeps = new TreeSet<>(actionsOf(functionStatement("SweepListRepositories")));
        functionSweeps.addAll(actionsOf(functionStatement("SweepBackfillFromCloudTrail")));

        Set<String> alert = new TreeSet<>();
        Set<String> retag = new TreeSet<>();
        Set<String> sweep = new TreeSet<>();
        for (Object entry : statements) {
            Map<String, Object> fields = map(entry);
            if (fields.containsKey("Fn::If")) {
                List<?> branches = (List<?>) fields.get("Fn::If");
                assertThat(branches.get(0)).isIn("RetagEnabled", "SweepEnabled");
                assertThat(branches.get(2)).isEqualTo(Map.of("Ref", "AWS::NoValue"));
                (branches.get(0).equals("RetagEnabled") ? retag : sweep).addAll(actionsOf(map(branches.get(1))));
            } else {
                alert.addAll(actionsOf(fields));
            }
            Map<String, Object> statement = fields.containsKey("Fn::If")
                    ? map(((List<?>) fields.get("Fn::If")).get(1)) : fields;
            if (actionsOf(statement).equals(Set.of("cloudtrail:LookupEvents"))) {
                assertThat(statement.get("Resource")).as("LookupEvents has no resource-level permissions")
                        .isEqualTo("*");
            } else {
                assertThat(statement.get("Resource")).as("this account's repositories, every region")
                        .isEqualTo(Map.of("Fn::Sub", "arn:${AWS::Partition}:ecr:*:${AWS::AccountId}:repository/*"));
            }
        }
        assertThat(alert).as("Mode ALERT: read-only").isEqualTo(functionReads);
        assertThat(retag).as("Mode RETAG adds the re-tag set").isEqualTo(functionRetags);
        assertThat(sweep).as("the central sweep lists repositories and reads the push history").isEqualTo(
                functionSweeps);
        assertThat(map(member.get("Conditions"))).containsEntry("SweepEnabled",
                Map.of("Fn::Equals", List.of(Map.of("Ref", "Sweep"), "true")));
        assertThat(map(member.get("Conditions"))).containsEntry("RetagEnabled",
                Map.of("Fn::Equals", List.of(Map.of("Ref", "Mode"), "RETAG")));
    }

    @Test
    void memberRole_isCreatedInOneRegionOnly_becauseIamIsGlobalAndTheStackSetDeploysEveryRegion() {
        assertThat(map(resources(member).get("MemberRole"))).containsEntry("Condition", "CreateMemberRole");
        assertThat(map(member.get("Conditions"))).containsEntry("CreateMemberRole",
                Map.of("Fn::Equals", List.of(Map.of("Ref", "AWS::Region"), Map.of("Ref", "RoleRegion"))));
        assertThat(properties(member, "ForwardEcrEventsRole")).doesNotContainKey("RoleName");
    }

    @Test
    void forwardingRule_sendsPushesAndDeletes_toTheCentralBus_withARoleAllowedToPutThereOnly() {
        Map<String, Object> rule = properties(member, "ForwardEcrEventsRule");
        assertThat(rule.get("EventPattern")).isEqualTo(Map.of("source", List.of("aws.ecr"),
                "detail-type", List.of("ECR Image Action"),
                "detail", Map.of("action-type", List.of("PUSH", "DELETE"), "result", List.of("SUCCESS"))));
        Map<String, Object> target = map(((List<?>) rule.get("Targets")).get(0));
        assertThat(target).containsEntry("Arn", Map.of("Ref", "CentralEventBusArn"))
                .containsEntry("RoleArn", Map.of("Fn::GetAtt", List.of("ForwardEcrEventsRole", "Arn")));

        Map<String, Object> role = properties(member, "ForwardEcrEventsRole");
        assertThat(JsonTrees.write(role.get("AssumeRolePolicyDocument"))).contains("events.amazonaws.com");
        List<?> statements = (List<?>) map(map(((List<?>) role.get("Policies")).get(0)).get("PolicyDocument"))
                .get("Statement");
        assertThat(statements).isEqualTo(List.of(Map.of("Effect", "Allow", "Action", "events:PutEvents",
                "Resource", Map.of("Ref", "CentralEventBusArn"))));
    }

    @Test
    void forwarding_isSkipped_inTheCentralAccountAndRegion_whoseOwnRuleSeesTheEventsAlready() {
        assertThat(map(resources(member).get("ForwardEcrEventsRule"))).containsEntry("Condition", "ForwardEvents");
        String condition = JsonTrees.write(map(member.get("Conditions")).get("IsCentralAccountAndRegion"));
        // arn:<partition>:events:<region>:<account>:event-bus/<name>: field 3 is the region, field 4 the account.
        assertThat(condition).contains("\"AWS::AccountId\"", "\"AWS::Region\"", "[4,", "[3,", "CentralEventBusArn");
        String arn = "arn:aws:events:eu-west-1:123456789012:event-bus/guard-ecr-events";
        assertThat(arn.split(":")[3]).isEqualTo("eu-west-1");
        assertThat(arn.split(":")[4]).isEqualTo("123456789012");
        assertThat(allowedPattern(member, "CentralEventBusArn").matcher(arn).matches()).isTrue();
    }

    // ---- reading the templates

    private List<?> functionStatements() {
        List<?> policies = (List<?>) properties(central, "PushGuardFunction").get("Policies");
        return (List<?>) map(policies.get(0)).get("Statement");
    }

    private Map<String, Object> functionStatement(String sid) {
        for (Object entry : functionStatements()) {
            Map<String, Object> fields = map(entry);
            Map<String, Object> statement = fields.containsKey("Fn::If")
                    ? map(((List<?>) fields.get("Fn::If")).get(1)) : fields;
            if (sid.equals(statement.get("Sid"))) {
                return statement;
            }
        }
        throw new AssertionError("the function has no statement " + sid);
    }

    private static Set<String> actionsOf(Map<String, Object> statement) {
        Object action = statement.get("Action");
        Set<String> actions = new TreeSet<>();
        if (action instanceof List<?> list) {
            list.forEach(a -> actions.add(String.valueOf(a)));
        } else {
            actions.add(String.valueOf(action));
        }
        return actions;
    }

    private static Pattern allowedPattern(Map<String, Object> template, String name) {
        return Pattern.compile(String.valueOf(parameter(template, name).get("AllowedPattern")));
    }

    private static Map<String, Object> parameter(Map<String, Object> template, String name) {
        return map(map(template.get("Parameters")).get(name));
    }

    private static Map<String, Object> resources(Map<String, Object> template) {
        return map(template.get("Resources"));
    }

    private static Map<String, Object> properties(Map<String, Object> template, String resource) {
        assertThat(resources(template)).containsKey(resource);
        return map(map(resources(template).get(resource)).get("Properties"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
