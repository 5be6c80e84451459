package dev.ecrdigestguard.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LifecyclePolicyParserTest {

    static final String STORY_POLICY = """
            {"rules":[
              {"action":{"type":"expire"},
               "selection":{"countType":"imageCountMoreThan","countNumber":5,"tagStatus":"tagged","tagPrefixList":["tag"]},
               "description":"Keep last 5 production images","rulePriority":1},
              {"rulePriority":5,"description":"Expire images older than 14 days",
               "selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":14},
               "action":{"type":"expire"}}]}
            """;

    /** A one-rule policy around the given selection and action bodies. */
    private static String rule(int priority, String selection, String action) {
        return "{\"rulePriority\":" + priority + ",\"selection\":{" + selection + "},\"action\":{" + action + "}}";
    }

    private static String policy(String... rules) {
        return "{\"rules\":[" + String.join(",", rules) + "]}";
    }

    private static final String EXPIRE = "\"type\":\"expire\"";
    private static final String ARCHIVE = "\"type\":\"transition\",\"targetStorageClass\":\"archive\"";
    private static final String COUNT_5 = "\"countType\":\"imageCountMoreThan\",\"countNumber\":5";
    private static final String DAYS_14 = "\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":14";

    @Test
    void parse_readsRawPolicy_sortedByPriority() {
        // WHEN
        LifecyclePolicy policy = LifecyclePolicyParser.parse(STORY_POLICY);

        // THEN
        assertThat(policy.rules()).extracting(LifecycleRule::rulePriority).containsExactly(1, 5);
        LifecycleRule first = policy.rules().get(0);
        assertThat(first.tagStatus()).isEqualTo(TagStatus.TAGGED);
        assertThat(first.tagFilter()).hasValueSatisfying(filter -> {
            assertThat(filter.kind()).isEqualTo(TagFilter.Kind.PREFIX);
            assertThat(filter.entries()).containsExactly("tag");
        });
        assertThat(first.countType()).isEqualTo(CountType.IMAGE_COUNT_MORE_THAN);
        assertThat(first.countNumber()).isEqualTo(5);
        assertThat(first.storageClass()).isEqualTo(StorageClass.STANDARD);
        assertThat(first.label()).isEqualTo("rule 1 'Keep last 5 production images'");
        assertThat(policy.rules().get(1).countType()).isEqualTo(CountType.SINCE_IMAGE_PUSHED);
    }

    @Test
    void parse_readsGetLifecyclePolicyOutput_withPolicyAsJsonString() {
        // GIVEN what `aws ecr get-lifecycle-policy` prints
        String output = """
                {
                    "registryId": "123456789012",
                    "repositoryName": "app",
                    "lifecyclePolicyText": "{\\"rules\\":[{\\"rulePriority\\":1,\\"selection\\":{\\"tagStatus\\":\\"untagged\\",\\"countType\\":\\"sinceImagePushed\\",\\"countUnit\\":\\"days\\",\\"countNumber\\":1},\\"action\\":{\\"type\\":\\"expire\\"}}]}",
                    "lastEvaluatedAt": "2024-06-01T10:00:00+00:00"
                }
                """;

        // WHEN
        LifecyclePolicy policy = LifecyclePolicyParser.parse(output);

        // THEN
        assertThat(policy.rules()).singleElement().satisfies(rule -> {
            assertThat(rule.tagStatus()).isEqualTo(TagStatus.UNTAGGED);
            assertThat(rule.countNumber()).isEqualTo(1);
        });
    }

    @Test
    void parse_readsArchiveRules() {
        // GIVEN
        String json = policy(
                rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"*\"],\"countType\":\"sinceImagePulled\","
                        + "\"countUnit\":\"days\",\"countNumber\":30", ARCHIVE),
                rule(2, "\"tagStatus\":\"any\",\"storageClass\":\"archive\",\"countType\":\"sinceImageTransitioned\","
                        + "\"countUnit\":\"days\",\"countNumber\":90", EXPIRE));

        // WHEN
        LifecyclePolicy parsed = LifecyclePolicyParser.parse(json);

        // THEN
        assertThat(parsed.rules().get(0).action()).isEqualTo(RuleAction.TRANSITION);
        assertThat(parsed.rules().get(1).storageClass()).isEqualTo(StorageClass.ARCHIVE);
        assertThat(parsed.rules().get(1).countType()).isEqualTo(CountType.SINCE_IMAGE_TRANSITIONED);
    }

    @Test
    void parse_rejectsTaggedRule_withoutPrefixOrPatternList() {
        assertRejected(policy(rule(3, "\"tagStatus\":\"tagged\"," + COUNT_5, EXPIRE)),
                "rule 3: selection.tagStatus tagged needs a tagPrefixList or a tagPatternList");
    }

    @Test
    void parse_rejectsUntaggedRule_withPrefixList() {
        assertRejected(policy(rule(2, "\"tagStatus\":\"untagged\",\"tagPrefixList\":[\"v\"]," + COUNT_5, EXPIRE)),
                "rule 2: selection.tagPrefixList must be omitted when tagStatus is untagged");
    }

    @Test
    void parse_rejectsUntaggedRule_withPatternList() {
        assertRejected(policy(rule(2, "\"tagStatus\":\"untagged\",\"tagPatternList\":[\"v*\"]," + COUNT_5, EXPIRE)),
                "rule 2: selection.tagPatternList must be omitted when tagStatus is untagged");
    }

    @Test
    void parse_rejectsRule_withBothPrefixAndPatternLists() {
        assertRejected(policy(rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"],\"tagPatternList\":[\"v*\"],"
                + COUNT_5, EXPIRE)), "rule 1: selection has both tagPrefixList and tagPatternList");
    }

    @Test
    void parse_rejectsPattern_withMoreThanFourWildcards() {
        assertRejected(policy(rule(4, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"*a*b*c*d*\"]," + COUNT_5, EXPIRE)),
                "rule 4: selection.tagPatternList: tag pattern '*a*b*c*d*' has 5 wildcards; ECR allows at most 4");
    }

    @Test
    void parse_acceptsPattern_withFourWildcards() {
        LifecyclePolicy policy = LifecyclePolicyParser.parse(
                policy(rule(4, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"*a*b*c*\"]," + COUNT_5, EXPIRE)));

        assertThat(policy.rules()).hasSize(1);
    }

    @Test
    void parse_rejectsDuplicateRulePriority() {
        assertRejected(policy(
                        rule(2, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"a\"]," + COUNT_5, EXPIRE),
                        rule(2, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"b\"]," + COUNT_5, EXPIRE)),
                "rule 2: rulePriority 2 is used by more than one rule");
    }

    @Test
    void parse_rejectsAnyRule_thatIsNotLast() {
        assertRejected(policy(
                        rule(1, "\"tagStatus\":\"any\"," + DAYS_14, EXPIRE),
                        rule(2, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"b\"]," + COUNT_5, EXPIRE)),
                "rule 1: a rule with selection.tagStatus any must have the highest rulePriority of the standard rules (highest here is 2)");
    }

    @Test
    void parse_rejectsCountUnit_withImageCountMoreThan() {
        assertRejected(policy(rule(1, "\"tagStatus\":\"untagged\"," + COUNT_5 + ",\"countUnit\":\"days\"", EXPIRE)),
                "rule 1: selection.countUnit is only allowed with the since… count types");
    }

    @Test
    void parse_rejectsSinceCountType_withoutCountUnit() {
        assertRejected(policy(rule(1, "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",\"countNumber\":3",
                EXPIRE)), "rule 1: selection.countUnit must be days with countType sinceImagePushed, got nothing");
    }

    @Test
    void parse_rejectsCountUnit_otherThanDays() {
        assertRejected(policy(rule(1, "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\","
                + "\"countUnit\":\"hours\",\"countNumber\":3", EXPIRE)), "selection.countUnit must be days");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1.5", "\"5\"", "null", "3000000000"})
    void parse_rejectsCountNumber_thatIsNotAPositiveInteger(String countNumber) {
        assertRejected(policy(rule(7, "\"tagStatus\":\"untagged\",\"countType\":\"imageCountMoreThan\",\"countNumber\":"
                + countNumber, EXPIRE)), "rule 7: selection.countNumber must be a positive integer, got ");
    }

    @Test
    void parse_rejectsSinceImagePulled_withExpire() {
        assertRejected(policy(rule(1, "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePulled\","
                        + "\"countUnit\":\"days\",\"countNumber\":3", EXPIRE)),
                "rule 1: selection.countType sinceImagePulled is allowed only with action.type transition");
    }

    @Test
    void parse_rejectsSinceImageTransitioned_withTransition() {
        assertRejected(policy(rule(1, "\"tagStatus\":\"untagged\",\"storageClass\":\"archive\","
                        + "\"countType\":\"sinceImageTransitioned\",\"countUnit\":\"days\",\"countNumber\":90", ARCHIVE)),
                "rule 1: selection.countType sinceImageTransitioned is allowed only with action.type expire");
    }

    @Test
    void parse_rejectsSinceImageTransitioned_onStandardStorage() {
        assertRejected(policy(rule(1, "\"tagStatus\":\"untagged\",\"countType\":\"sinceImageTransitioned\","
                        + "\"countUnit\":\"days\",\"countNumber\":90", EXPIRE)),
                "rule 1: selection.countType sinceImageTransitioned needs selection.storageClass archive");
    }

    @Test
    void parse_rejectsTransition_ofArchivedImages() {
        assertRejected(policy(rule(1, "\"tagStatus\":\"untagged\",\"storageClass\":\"archive\"," + DAYS_14, ARCHIVE)),
                "rule 1: action.type transition moves standard images to archive");
    }

    @Test
    void parse_rejectsTransition_withoutArchiveTarget() {
        assertRejected(policy(rule(1, "\"tagStatus\":\"untagged\"," + DAYS_14, "\"type\":\"transition\"")),
                "rule 1: action.targetStorageClass must be archive for a transition, got nothing");
    }

    @Test
    void parse_rejectsSecondUntaggedRule_forTheSameStorageClass() {
        assertRejected(policy(
                        rule(1, "\"tagStatus\":\"untagged\"," + COUNT_5, EXPIRE),
                        rule(2, "\"tagStatus\":\"untagged\"," + DAYS_14, EXPIRE)),
                "rule 2: selection.tagStatus untagged is already used by rule 1 for storage class standard");
    }

    @Test
    void parse_acceptsOneUntaggedRule_perStorageClass() {
        LifecyclePolicy policy = LifecyclePolicyParser.parse(policy(
                rule(1, "\"tagStatus\":\"untagged\"," + COUNT_5, EXPIRE),
                rule(2, "\"tagStatus\":\"untagged\",\"storageClass\":\"archive\"," + DAYS_14, EXPIRE)));

        assertThat(policy.rules()).hasSize(2);
    }

    @Test
    void parse_rejectsRepeatedTagPrefixes_forTheSameStorageClass() {
        assertRejected(policy(
                        rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\",\"v\"]," + COUNT_5, EXPIRE),
                        rule(2, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\",\"prod\"]," + DAYS_14, EXPIRE)),
                "rule 2: selection.tagPrefixList [v, prod] repeats the tags of rule 1 for storage class standard");
    }

    @Test
    void parse_acceptsSameTagPrefixes_inAnotherStorageClass() {
        LifecyclePolicy policy = LifecyclePolicyParser.parse(policy(
                rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\"]," + COUNT_5, EXPIRE),
                rule(2, "\"tagStatus\":\"tagged\",\"storageClass\":\"archive\",\"tagPrefixList\":[\"prod\"]," + DAYS_14,
                        EXPIRE)));

        assertThat(policy.rules()).hasSize(2);
    }

    @Test
    void parse_rejectsUnknownField_namingIt() {
        assertRejected(policy(rule(1, "\"tagStatus\":\"untagged\",\"countTyp\":\"x\"," + COUNT_5, EXPIRE)),
                "rule 1: selection: unknown field 'countTyp'");
    }

    @Test
    void parse_rejectsUnknownTagStatus() {
        assertRejected(policy(rule(1, "\"tagStatus\":\"TAGGED\",\"tagPrefixList\":[\"a\"]," + COUNT_5, EXPIRE)),
                "rule 1: selection.tagStatus must be one of tagged, untagged, any, got \"TAGGED\"");
    }

    @Test
    void parse_rejectsRule_withoutPriority() {
        assertRejected("{\"rules\":[{\"selection\":{\"tagStatus\":\"untagged\"," + COUNT_5 + "},\"action\":{" + EXPIRE
                + "}}]}", "rules[0]: rulePriority is required and must be an integer");
    }

    @Test
    void parse_rejectsEmptyRules() {
        assertRejected("{\"rules\":[]}", "rules: a lifecycle policy needs at least one rule");
    }

    @Test
    void parse_rejectsText_thatIsNotJson() {
        assertRejected("{\"rules\": [", "lifecycle policy: not valid JSON");
    }

    private static void assertRejected(String json, String expectedMessage) {
        assertThatThrownBy(() -> LifecyclePolicyParser.parse(json))
                .isInstanceOf(LifecyclePolicyException.class)
                .hasMessageContaining(expectedMessage);
    }

    // ---- limits and hostile policies (issue 12)

    /** STORY_POLICY padded with spaces (which ECR counts) to exactly {@code characters}. */
    private static String storyPolicyOf(int characters) {
        String policy = STORY_POLICY.strip();
        return policy.substring(0, policy.length() - 1) + " ".repeat(characters - policy.length()) + "}";
    }

    @Test
    void parse_acceptsAPolicyOfExactlyEcrsLimit_andRejectsOneCharacterMore() {
        assertThat(LifecyclePolicyParser.parse(storyPolicyOf(30_720)).rules()).hasSize(2);

        assertThatThrownBy(() -> LifecyclePolicyParser.parse(storyPolicyOf(30_721)))
                .isInstanceOf(LifecyclePolicyException.class)
                .hasMessage("lifecycle policy: 30721 characters; ECR accepts a lifecycle policy of at most 30720 "
                        + "characters");
    }

    @Test
    void parse_appliesTheLimitToThePolicyInsideGetLifecyclePolicyOutput() throws Exception {
        String output = dev.ecrdigestguard.json.Json.mapper().writeValueAsString(java.util.Map.of("registryId",
                "123456789012", "repositoryName", "shop-api", "lifecyclePolicyText", storyPolicyOf(30_721)));

        assertThatThrownBy(() -> LifecyclePolicyParser.parse(output))
                .isInstanceOf(LifecyclePolicyException.class)
                .hasMessageStartingWith("lifecyclePolicyText: 30721 characters");
    }

    @Test
    void parse_refusesTenThousandRules_beforeParsingThem() {
        String tenThousandRules = policy(java.util.stream.IntStream.rangeClosed(1, 10_000)
                .mapToObj(priority -> rule(priority, "\"tagStatus\":\"any\"," + COUNT_5, EXPIRE))
                .toArray(String[]::new));

        assertThatThrownBy(() -> LifecyclePolicyParser.parse(tenThousandRules))
                .isInstanceOf(LifecyclePolicyException.class)
                .hasMessageContaining("ECR accepts a lifecycle policy of at most 30720 characters");
    }

    @Test
    void parse_ignoresALeadingByteOrderMark() {
        assertThat(LifecyclePolicyParser.parse("\uFEFF" + STORY_POLICY).rules()).hasSize(2);
    }

    @Test
    void parse_echoesAHugeOrHostileValue_shortAndEscaped() {
        String hugeCount = policy(rule(1, "\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\","
                + "\"countNumber\":\"" + "9".repeat(20_000) + "\"", EXPIRE));
        String ansiField = policy("{\"rulePriority\":1,\"\\u001b[2J\":1,\"selection\":{\"tagStatus\":\"any\","
                + COUNT_5 + "},\"action\":{" + EXPIRE + "}}");

        assertThatThrownBy(() -> LifecyclePolicyParser.parse(hugeCount))
                .isInstanceOf(LifecyclePolicyException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith("rule 1: selection.countNumber must be a "
                        + "positive integer, got \"999").hasSizeLessThan(200));
        assertThatThrownBy(() -> LifecyclePolicyParser.parse(ansiField))
                .isInstanceOf(LifecyclePolicyException.class)
                .hasMessageStartingWith("rule 1: unknown field '\\u001B[2J'");
    }

    @Test
    void label_escapesAndCutsTheDescription() {
        String described = policy("{\"rulePriority\":1,\"description\":\"\\u001b[31mKeep\\nlast\\r5 "
                + "x".repeat(500) + "\",\"selection\":{\"tagStatus\":\"any\"," + COUNT_5 + "},\"action\":{"
                + EXPIRE + "}}");

        String label = LifecyclePolicyParser.parse(described).rules().get(0).label();

        assertThat(label).startsWith("rule 1 '\\u001B[31mKeep\\nlast\\r5 xxx").contains("characters)'")
                .doesNotContain("\u001b", "\n", "\r").hasSizeLessThan(200);
    }
}
