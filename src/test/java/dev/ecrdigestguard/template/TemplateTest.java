package dev.ecrdigestguard.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.metrics.GuardMetrics;
import dev.ecrdigestguard.testing.JsonTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks {@code template.yaml} against the code it deploys: the SAM resources are valid, the handler exists, every
 * setting the code reads is set, and the function's IAM policy allows exactly the AWS operations the code calls.
 */
class TemplateTest {

    private static final Path TEMPLATE = Path.of("template.yaml");
    private static final Path MAIN_SOURCES = Path.of("src/main/java");
    private static final String FUNCTION = "PushGuardFunction";
    /** Where the vendored SAM schema lives; see the README beside it for its source and licence. */
    private static final String SAM_SCHEMA = "schemas/sam.schema.json";
    /** Actions IAM only grants on every resource; none is called yet. */
    private static final Set<String> ACTIONS_WITHOUT_RESOURCE_LEVEL = Set.of("ecr:GetAuthorizationToken",
            // The sweep's backfill and its organization-wide plan: neither action has resource-level permissions.
            "cloudtrail:LookupEvents", "organizations:ListAccounts");
    /**
     * Operations only the command line calls, with the credentials of the person running it; the function never
     * does, so its role must not be granted them. ({@code audit --all-repositories} lists repositories with
     * {@code ecr:DescribeRepositories}, but MODE=RETAG reads a repository's tag mutability with it too: the function
     * gets it only under {@code RetagEnabled}, which {@link #retagPermissions_areGrantedOnlyInRetagMode} checks.)
     */
    private static final Set<String> COMMAND_LINE_ONLY = Set.of(
            // preview --against-ecr: ECR's own lifecycle policy preview, run by a person comparing it with the guard.
            "ecr:StartLifecyclePolicyPreview", "ecr:GetLifecyclePolicyPreview");
    /**
     * Operations IAM never checks, so there is nothing to grant: the STS API reference says of GetCallerIdentity "No
     * permissions are required to perform this operation", even under an explicit deny. The command line calls it
     * once to learn its own account and partition; the function takes them from its ARN (and calls it only outside
     * Lambda, where it has none).
     */
    private static final Set<String> NEEDING_NO_PERMISSION = Set.of("sts:GetCallerIdentity");
    /**
     * Variables only the command line reads, for a person's shell: where {@code retag --registry} finds Docker's
     * credentials (oci.DockerCredentials; the function never re-tags outside ECR), and NO_COLOR (cli.Terminal).
     */
    private static final Set<String> COMMAND_LINE_ONLY_VARIABLES = Set.of("DOCKER_CONFIG", "NO_COLOR");

    private final Map<String, Object> template = CloudFormationYaml.load(TEMPLATE);

    @Test
    void samResources_conformToTheSamSchema() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        assertThat(getClass().getClassLoader().getResource(SAM_SCHEMA))
                .as("the SAM schema src/test/resources/" + SAM_SCHEMA + " is missing").isNotNull();
        List<String> problems = new ArrayList<>();
        int validated = 0;
        for (Map.Entry<String, Object> resource : resources().entrySet()) {
            String type = String.valueOf(map(resource.getValue()).get("Type"));
            if (!type.startsWith("AWS::Serverless::")) {
                continue;
            }
            String definition = "samtranslator__internal__schema_source__aws_serverless_"
                    + type.substring("AWS::Serverless::".length()).toLowerCase() + "__Resource";
            JsonSchema schema = factory.getSchema(
                    SchemaLocation.of("classpath:" + SAM_SCHEMA + "#/definitions/" + definition));
            JsonNode json = Json.mapper().valueToTree(resource.getValue());
            for (ValidationMessage message : schema.validate(json)) {
                problems.add(resource.getKey() + ": " + message.getMessage());
            }
            validated++;
        }
        assertThat(validated).as("AWS::Serverless resources validated").isPositive();
        assertThat(problems).as("SAM schema violations").isEmpty();
    }

    @Test
    void function_isTheJavaHandlerBuiltFromThisFolder() throws Exception {
        Map<String, Object> properties = functionProperties();
        assertThat(properties).containsEntry("CodeUri", ".").containsEntry("Runtime", "java21")
                .containsEntry("Architectures", List.of("arm64")).containsEntry("AutoPublishAlias", "live")
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"))
                .containsEntry("LoggingConfig", Map.of("LogFormat", "JSON",
                        // Never above INFO: the metrics line has no level and Lambda files it under INFO.
                        "ApplicationLogLevel", Map.of("Fn::If", List.of("DebugLogs", "DEBUG", "INFO")),
                        "LogGroup", Map.of("Ref", "FunctionLogGroup")));
        assertThat(Path.of("pom.xml")).as("sam build needs pom.xml beside CodeUri").isRegularFile();
        assertThat(map(resources().get(FUNCTION)).get("Metadata")).isEqualTo(Map.of("BuildMethod", "makefile"));
        assertThat(Files.readString(Path.of("Makefile")))
                .as("sam build's makefile method runs the target build-<logical id>")
                .contains("build-PushGuardFunction:", "package -DskipTests", "$(ARTIFACTS_DIR)");

        String[] handler = String.valueOf(properties.get("Handler")).split("::");
        Class<?> type = Class.forName(handler[0]);
        assertThat(RequestStreamHandler.class).isAssignableFrom(type);
        assertThat(type.getConstructor()).as("the runtime's no-argument constructor").isNotNull();
        assertThat(type.getMethod(handler[1], InputStream.class, OutputStream.class, Context.class)).isNotNull();
    }

    @Test
    void environment_setsEveryVariableTheCodeReads_andNoOther() throws IOException {
        Set<String> read = new TreeSet<>(variablesReadByTheCode());
        Set<String> set = new TreeSet<>(map(map(functionProperties().get("Environment")).get("Variables")).keySet());

        assertThat(read).as("variables the code reads").contains("PRODUCTION_TAG_PATTERNS", "ALERT_TOPIC_ARN");
        assertThat(set).as("variables template.yaml sets (the code reads " + read + ")").isEqualTo(read);
        assertThat(map(map(functionProperties().get("Environment")).get("Variables")))
                .containsEntry("MODE", Map.of("Ref", "Mode"))
                .containsEntry("RETAG_SIGNED_IMAGES", Map.of("Ref", "RetagSignedImages"));
        Map<String, Object> mode = map(map(template.get("Parameters")).get("Mode"));
        assertThat(mode).containsEntry("Default", "ALERT").containsEntry("AllowedValues", List.of("ALERT", "RETAG"));
        assertThat(map(map(template.get("Parameters")).get("RetagSignedImages"))).containsEntry("Default", "false");
    }

    @Test
    void retagPermissions_areGrantedOnlyInRetagMode() {
        Set<String> pushActions = Set.of("ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
                "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer", "ecr:DescribeRepositories");
        assertThat(map(template.get("Conditions"))).containsEntry("RetagEnabled",
                Map.of("Fn::Equals", List.of(Map.of("Ref", "Mode"), "RETAG")));
        Map<String, Map<String, Object>> conditional = new LinkedHashMap<>();
        for (Object policy : (List<?>) functionProperties().get("Policies")) {
            for (Object statement : (List<?>) map(policy).get("Statement")) {
                Map<String, Object> fields = map(statement);
                List<?> branches = fields.containsKey("Fn::If") ? (List<?>) fields.get("Fn::If") : null;
                if (branches != null && impliesRetag(String.valueOf(branches.get(0)))) {
                    assertThat(branches.get(2)).isEqualTo(Map.of("Ref", "AWS::NoValue"));
                    conditional.put(String.valueOf(map(branches.get(1)).get("Sid")), map(branches.get(1)));
                } else {
                    // The sweep lists repositories in either mode; that is all it takes of the re-tag set.
                    boolean sweep = branches != null && branches.get(0).equals("SweepEnabled");
                    for (Object branch : branches(statement)) {
                        assertThat(actions(map(branch))).as("statement %s outside RetagEnabled", map(branch).get("Sid"))
                                .doesNotContainAnyElementsOf(sweep ? pushActions.stream()
                                        .filter(action -> !action.equals("ecr:DescribeRepositories")).toList()
                                        : pushActions);
                    }
                }
            }
        }
        // The function's region, and with OrganizationId this account's other regions.
        assertThat(conditional).containsOnlyKeys("RetagImages", "RetagOwnImagesEveryRegion");
        conditional.values().forEach(statement ->
                assertThat(actions(statement)).containsExactlyInAnyOrderElementsOf(pushActions));
        assertThat(JsonTrees.write(conditional.get("RetagImages").get("Resource"))).contains("RepositoryArnPattern");
    }

    /** RetagEnabled, or a condition that holds only when it does ({@code !And [..., !Condition RetagEnabled]}). */
    private boolean impliesRetag(String condition) {
        if (condition.equals("RetagEnabled")) {
            return true;
        }
        Object definition = map(template.get("Conditions")).get(condition);
        return definition instanceof Map<?, ?> fields && fields.get("Fn::And") instanceof List<?> terms
                && terms.stream().anyMatch(term -> term instanceof Map<?, ?> ref && ref.get("Condition") != null
                        && impliesRetag(String.valueOf(ref.get("Condition"))));
    }

    @Test
    void iamActions_equalTheSdkOperationsTheCodeCalls() {
        Map<String, Set<String>> called = new TreeMap<>(SdkOperations.calledIn(MAIN_SOURCES));
        Set<String> granted = new TreeSet<>();
        policyStatements().forEach(statement -> granted.addAll(actions(statement)));
        assertThat(called.keySet()).as("operations only the command line calls are still called")
                .containsAll(COMMAND_LINE_ONLY);
        assertThat(granted).as("operations only the command line calls")
                .noneMatch(COMMAND_LINE_ONLY::contains);
        assertThat(granted).as("operations that need no permission").noneMatch(NEEDING_NO_PERMISSION::contains);
        called.keySet().removeAll(COMMAND_LINE_ONLY);
        called.keySet().removeAll(NEEDING_NO_PERMISSION);

        assertThat(called.keySet()).as("SDK operations found in src/main/java").contains("ecr:DescribeImages");
        Set<String> missing = new TreeSet<>(called.keySet());
        missing.removeAll(granted);
        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(called.keySet());
        if (!missing.isEmpty() || !unused.isEmpty()) {
            fail("IAM in template.yaml (" + FUNCTION + ".Policies) differs from the SDK calls in src/main/java.%n"
                    + "Called but not allowed (add them, under !If when only some configurations call them): %s%n"
                    + "Allowed but never called (remove them): %s%nCalls found: %s", missing, unused, called);
        }
    }

    @Test
    void iamStatements_nameResources_neverEverything() {
        for (Map<String, Object> statement : policyStatements()) {
            assertThat(statement).containsEntry("Effect", "Allow");
            assertThat(actions(statement)).allSatisfy(action -> assertThat(action).doesNotContain("*"));
            Object resource = statement.get("Resource");
            assertThat(resource).as("Resource of %s", statement).isNotNull();
            if (String.valueOf(resource).equals("*") || resource instanceof List<?> list && list.contains("*")) {
                assertThat(ACTIONS_WITHOUT_RESOURCE_LEVEL).as("actions granted on '*'")
                        .containsAll(actions(statement));
            }
        }
        Map<String, Object> ecr = statementWith("ecr:DescribeImages");
        assertThat(JsonTrees.write(ecr.get("Resource"))).contains("RepositoryArnPattern")
                .contains("arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*");
        assertThat(JsonTrees.write(statementWith("sns:Publish").get("Resource")))
                .contains("AlertTopic").contains("ExistingAlertTopicArn");
    }

    @Test
    void asyncFailures_goToAnEncryptedQueue_andAlarmsNotifyTheTopic() {
        Map<String, Object> invoke = map(functionProperties().get("EventInvokeConfig"));
        assertThat(invoke).containsEntry("MaximumRetryAttempts", 2).containsKey("MaximumEventAgeInSeconds");
        Map<String, Object> onFailure = map(map(invoke.get("DestinationConfig")).get("OnFailure"));
        assertThat(onFailure).containsEntry("Type", "SQS");
        String queue = ((List<?>) map(onFailure.get("Destination")).get("Fn::GetAtt")).get(0).toString();
        Map<String, Object> queueProperties = properties(queue);
        assertThat(queueProperties).containsEntry("SqsManagedSseEnabled", true)
                .containsEntry("MessageRetentionPeriod", 14 * 24 * 3600);

        List<String> alarmMetrics = new ArrayList<>();
        resources().forEach((name, resource) -> {
            if ("AWS::CloudWatch::Alarm".equals(map(resource).get("Type"))) {
                Map<String, Object> alarm = properties(name);
                alarmMetrics.addAll(alarmedMetrics(alarm).keySet());
                assertThat(JsonTrees.write(alarm.get("AlarmActions"))).as(name).contains("AlertTopic");
            }
        });
        assertThat(alarmMetrics).containsExactlyInAnyOrder("Errors", "ApproximateNumberOfMessagesVisible",
                "DestinationDeliveryFailures", "AlertsUndelivered", "AlertsRejectedSns", "AlertsRejectedSlack",
                "ReleasesAtRisk",
                "AccountsUnreachable");
    }

    @Test
    void alarmsOnTheFunctionsOwnMetrics_useTheNamespaceDimensionAndNamesItWrites() {
        List<String> written = List.of(GuardMetrics.ALERTS_UNDELIVERED, GuardMetrics.ALERTS_REJECTED + "Sns",
                GuardMetrics.ALERTS_REJECTED + "Slack", GuardMetrics.RELEASES_AT_RISK,
                GuardMetrics.ACCOUNTS_UNREACHABLE);
        int checked = 0;
        for (String name : resources().keySet()) {
            if (!"AWS::CloudWatch::Alarm".equals(map(resources().get(name)).get("Type"))) {
                continue;
            }
            for (Map.Entry<String, Map<String, Object>> metric : alarmedMetrics(properties(name)).entrySet()) {
                if (GuardMetrics.NAMESPACE.equals(metric.getValue().get("Namespace"))) {
                    assertThat(written).as(name).contains(metric.getKey());
                    assertThat(JsonTrees.write(metric.getValue().get("Dimensions"))).as(name)
                            .contains("\"Name\":\"" + GuardMetrics.DIMENSION + "\"", "PushGuardFunction");
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(written.size());
    }

    /** Metric name → the metric (Namespace, Dimensions) of a plain alarm, or of each MetricStat of a math alarm. */
    private static Map<String, Map<String, Object>> alarmedMetrics(Map<String, Object> alarm) {
        Map<String, Map<String, Object>> metrics = new LinkedHashMap<>();
        if (alarm.containsKey("MetricName")) {
            metrics.put(String.valueOf(alarm.get("MetricName")), alarm);
        }
        if (alarm.get("Metrics") instanceof List<?> queries) {
            for (Object query : queries) {
                if (map(query).get("MetricStat") != null) {
                    Map<String, Object> metric = map(map(map(query).get("MetricStat")).get("Metric"));
                    metrics.put(String.valueOf(metric.get("MetricName")), metric);
                }
            }
        }
        return metrics;
    }

    @Test
    void pushRule_selectsSuccessfulTaggedPushes_andTargetsTheAlias() {
        Map<String, Object> rule = properties("PushEventsRule");
        assertThat(JsonTrees.write(rule.get("Targets"))).contains("PushGuardFunction.Alias");

        JsonNode pattern = pushRulePattern(Map.of("HasTagPrefixes", false, "AllRepositories", true), Map.of());

        assertThat(pattern.get("source").toString()).isEqualTo("[\"aws.ecr\"]");
        assertThat(pattern.get("detail-type").toString()).isEqualTo("[\"ECR Image Action\"]");
        assertThat(pattern.at("/detail/action-type").toString()).isEqualTo("[\"PUSH\",\"DELETE\"]");
        assertThat(pattern.at("/detail/result").toString()).isEqualTo("[\"SUCCESS\"]");
        // Untagged pushes (the children of a multi-architecture push) carry no image-tag: they never invoke.
        assertThat(pattern.at("/detail/image-tag").toString()).isEqualTo("[{\"exists\":true}]");
        assertThat(pattern.get("detail").has("repository-name")).isFalse();
    }

    @Test
    void pushRule_matchesOnlyTheTagPrefixes_whenGiven() {
        JsonNode pattern = pushRulePattern(Map.of("HasTagPrefixes", true, "AllRepositories", true),
                Map.of("ProductionTagPrefixes", "tag-,v"));

        assertThat(pattern.at("/detail/image-tag").toString()).isEqualTo("[{\"prefix\":\"tag-\"},{\"prefix\":\"v\"}]");
    }

    @Test
    void pushRule_isNarrowedLikeIam_toTheRepositoriesOfRepositoryArnPattern() {
        JsonNode pattern = pushRulePattern(Map.of("HasTagPrefixes", true, "AllRepositories", false),
                Map.of("ProductionTagPrefixes", "tag-",
                        "RepositoryArnPattern", "arn:aws:ecr:eu-west-1:123456789012:repository/team/shop-*"));

        assertThat(pattern.at("/detail/repository-name").toString())
                .isEqualTo("[{\"wildcard\":\"team/shop-*\"}]");
        assertThat(pattern.at("/detail/image-tag").toString()).isEqualTo("[{\"prefix\":\"tag-\"}]");
        // … the same repositories the role may read
        assertThat(JsonTrees.write(statementWith("ecr:DescribeImages").get("Resource")))
                .contains("{\"Ref\":\"RepositoryArnPattern\"}");
    }

    /**
     * The rule's pattern as CloudFormation resolves it for the given conditions and parameters: the template builds
     * it as one JSON string with !Sub, whose variables are !If, !Sub, !Join, !Split and !Select of parameters.
     */
    private JsonNode pushRulePattern(Map<String, Boolean> conditions, Map<String, String> parameters) {
        Object resolved = new Intrinsics(conditions, parameters).resolve(properties("PushEventsRule").get("EventPattern"));
        assertThat(resolved).isInstanceOf(String.class);
        try {
            return Json.mapper().readTree((String) resolved);
        } catch (IOException e) {
            throw new AssertionError("the event pattern is not JSON once resolved: " + resolved, e);
        }
    }

    /** The few intrinsic functions the rule's pattern uses, over known conditions and parameter values. */
    private record Intrinsics(Map<String, Boolean> conditions, Map<String, String> parameters) {

        Object resolve(Object node) {
            if (!(node instanceof Map<?, ?> function) || function.size() != 1) {
                return node;
            }
            Map.Entry<?, ?> call = function.entrySet().iterator().next();
            List<?> arguments = call.getValue() instanceof List<?> list ? list : List.of(call.getValue());
            return switch (String.valueOf(call.getKey())) {
                case "Ref" -> parameters.getOrDefault(String.valueOf(arguments.get(0)), "");
                case "Fn::If" -> resolve(conditions.get(String.valueOf(arguments.get(0)))
                        ? arguments.get(1) : arguments.get(2));
                case "Fn::Join" -> String.join(String.valueOf(arguments.get(0)),
                        ((List<?>) resolve(arguments.get(1))).stream().map(String::valueOf).toList());
                case "Fn::Split" -> List.of(((String) resolve(arguments.get(1)))
                        .split(Pattern.quote(String.valueOf(arguments.get(0))), -1));
                case "Fn::Select" -> ((List<?>) resolve(arguments.get(1)))
                        .get(Integer.parseInt(String.valueOf(arguments.get(0))));
                case "Fn::Sub" -> substitute(arguments);
                default -> throw new AssertionError("unexpected function " + call.getKey());
            };
        }

        private String substitute(List<?> arguments) {
            String text = String.valueOf(arguments.get(0));
            Map<?, ?> variables = arguments.size() > 1 ? (Map<?, ?>) arguments.get(1) : Map.of();
            for (Map.Entry<?, ?> variable : variables.entrySet()) {
                text = text.replace("${" + variable.getKey() + "}", String.valueOf(resolve(variable.getValue())));
            }
            for (Map.Entry<String, String> parameter : parameters.entrySet()) {
                text = text.replace("${" + parameter.getKey() + "}", parameter.getValue());
            }
            return text;
        }
    }

    @Test
    void alertTopicKey_letsOnlyThisAccountsAlarmsUseItThroughCloudWatch() {
        Map<String, Object> statement = ((List<?>) map(properties("AlertTopicKey").get("KeyPolicy")).get("Statement"))
                .stream().map(TemplateTest::map)
                .filter(candidate -> JsonTrees.write(candidate.get("Principal")).contains("cloudwatch.amazonaws.com"))
                .findFirst().orElseThrow(() -> new AssertionError("no key policy statement for CloudWatch"));

        assertThat(actions(statement)).containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey*");
        Map<String, Object> condition = map(statement.get("Condition"));
        assertThat(map(condition.get("StringEquals"))).containsEntry("aws:SourceAccount",
                Map.of("Ref", "AWS::AccountId"));
        assertThat(map(condition.get("ArnLike"))).containsEntry("aws:SourceArn",
                Map.of("Fn::Sub", "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*"));
    }

    @Test
    void logs_goToALogGroupOfTheStack_keptForLogRetentionDays() {
        assertThat(map(resources().get("FunctionLogGroup"))).containsEntry("Type", "AWS::Logs::LogGroup");
        assertThat(properties("FunctionLogGroup")).containsEntry("RetentionInDays", Map.of("Ref", "LogRetentionDays"));
        Map<String, Object> retention = map(map(template.get("Parameters")).get("LogRetentionDays"));
        // The values CloudWatch Logs accepts for RetentionInDays.
        assertThat(retention).containsEntry("Type", "Number").containsEntry("AllowedValues", List.of(1, 3, 5, 7, 14,
                30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653));
    }

    @Test
    void readme_listsEveryAlarm() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        resources().forEach((name, resource) -> {
            if ("AWS::CloudWatch::Alarm".equals(map(resource).get("Type"))) {
                assertThat(alarmedMetrics(properties(name)).keySet()).as("README names the metrics of " + name)
                        .allSatisfy(metric -> assertThat(readme).contains("`" + metric + "`"));
            }
        });
    }

    @Test
    void outputs_nameTheFunctionAliasTopicAndQueue() {
        assertThat(map(template.get("Outputs")))
                .containsKeys("FunctionArn", "FunctionAliasArn", "AlertTopicArn", "FailedEventsQueueUrl");
    }

    // ---- reading the template

    private Map<String, Object> resources() {
        return map(template.get("Resources"));
    }

    private Map<String, Object> properties(String resource) {
        assertThat(resources()).as("resources").containsKey(resource);
        return map(map(resources().get(resource)).get("Properties"));
    }

    private Map<String, Object> functionProperties() {
        return properties(FUNCTION);
    }

    /**
     * Every Allow statement of the function's inline policies, including both branches of {@code !If}: a statement
     * that only some configurations get still has to be allowed for the calls it covers.
     */
    private List<Map<String, Object>> policyStatements() {
        List<Map<String, Object>> statements = new ArrayList<>();
        // Policies of their own on the function's role (one that names the function can't be inline: a cycle).
        resources().forEach((name, resource) -> {
            if ("AWS::IAM::Policy".equals(map(resource).get("Type"))
                    && JsonTrees.write(properties(name).get("Roles")).contains(FUNCTION + "Role")) {
                for (Object statement : (List<?>) map(properties(name).get("PolicyDocument")).get("Statement")) {
                    branches(statement).forEach(s -> statements.add(map(s)));
                }
            }
        });
        for (Object policy : (List<?>) functionProperties().get("Policies")) {
            for (Object document : branches(policy)) {
                Map<String, Object> fields = map(document);
                if (!fields.containsKey("Statement")) {
                    fail("Policies entries must be inline documents with a Statement list, so the test can read "
                            + "their actions (no SAM policy templates or managed policies): " + fields);
                }
                for (Object statement : (List<?>) fields.get("Statement")) {
                    branches(statement).forEach(s -> statements.add(map(s)));
                }
            }
        }
        return statements;
    }

    /** The values an element can take: both outcomes of an {@code Fn::If}, nothing for {@code AWS::NoValue}. */
    private static List<Object> branches(Object element) {
        if (element instanceof Map<?, ?> fields && fields.containsKey("Fn::If")) {
            List<?> condition = (List<?>) fields.get("Fn::If");
            List<Object> values = new ArrayList<>(branches(condition.get(1)));
            values.addAll(branches(condition.get(2)));
            return values;
        }
        if (element instanceof Map<?, ?> fields && "AWS::NoValue".equals(fields.get("Ref"))) {
            return List.of();
        }
        return List.of(element);
    }

    private static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(action));
    }

    private Map<String, Object> statementWith(String action) {
        return policyStatements().stream().filter(statement -> actions(statement).contains(action)).findFirst()
                .orElseThrow(() -> new AssertionError("no statement allows " + action));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    // ---- reading the code

    /**
     * The configuration variables: the constants of {@link GuardConfig}, and any variable read by name with
     * {@code System.getenv("NAME")} or {@code environment.get("NAME")} anywhere in the main code. Variables the
     * Lambda runtime sets itself ({@code AWS_*}, {@code _HANDLER}) are not the template's business.
     */
    private static Set<String> variablesReadByTheCode() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Field field : GuardConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    names.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        Pattern byName = Pattern.compile("(?:getenv|environment\\.get)\\(\\s*\"([A-Z][A-Z0-9_]*)\"\\s*\\)");
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                byName.matcher(Files.readString(file)).results().map(m -> m.group(1)).forEach(names::add);
            }
        }
        names.removeIf(name -> name.startsWith("AWS_") || name.startsWith("_"));
        names.removeAll(COMMAND_LINE_ONLY_VARIABLES);
        return names;
    }
}
