package dev.ecrdigestguard.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.config.RepositoryPatterns;
import dev.ecrdigestguard.config.SecretArn;
import dev.ecrdigestguard.config.TopicArn;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The parameters of {@code template.yaml}, judged with Java's regular expressions, which are CloudFormation's: every
 * String parameter is constrained, every AllowedPattern accepts its accepted samples and refuses its rejected ones
 * ({@code src/test/resources/template/parameter-samples.json}, also used by the tool checks), and what the template
 * lets through the function accepts too — for the Slack secret, exactly the ARNs the function accepts, so the role is
 * never granted a wildcard the function would refuse anyway.
 */
class TemplateParametersTest {

    private static final Path SAMPLES = Path.of("src/test/resources/template/parameter-samples.json");

    private final Map<String, Object> parameters = parameters();
    private final JsonNode samples = samples();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameters() {
        return (Map<String, Object>) CloudFormationYaml.load(Path.of("template.yaml")).get("Parameters");
    }

    private static JsonNode samples() {
        try {
            return Json.mapper().readTree(SAMPLES.toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot read " + SAMPLES, e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parameter(String name) {
        return (Map<String, Object>) parameters.get(name);
    }

    private List<String> samples(String name, String kind) {
        List<String> values = new ArrayList<>();
        samples.path(name).path(kind).forEach(value -> values.add(value.asText()));
        return values;
    }

    @Test
    void everyStringParameter_isConstrained() {
        parameters.forEach((name, definition) -> {
            Map<String, Object> fields = parameter(name);
            if ("String".equals(fields.get("Type")) || "CommaDelimitedList".equals(fields.get("Type"))) {
                assertThat(fields.containsKey("AllowedPattern") || fields.containsKey("AllowedValues"))
                        .as("%s needs an AllowedPattern or AllowedValues", name).isTrue();
            }
        });
    }

    @Test
    void everyAllowedPattern_acceptsItsSamples_andRefusesTheRejectedOnes() {
        int judged = 0;
        for (String name : parameters.keySet()) {
            Object allowed = parameter(name).get("AllowedPattern");
            if (allowed == null) {
                continue;
            }
            Pattern pattern = Pattern.compile(String.valueOf(allowed));
            assertThat(samples(name, "accepted")).as("accepted samples of %s", name).isNotEmpty()
                    .allSatisfy(value -> assertThat(pattern.matcher(value).matches())
                            .as("%s accepts '%s'", name, value).isTrue());
            assertThat(samples(name, "rejected")).as("rejected samples of %s", name).isNotEmpty()
                    .allSatisfy(value -> assertThat(pattern.matcher(value).matches())
                            .as("%s refuses '%s'", name, value).isFalse());
            assertThat(pattern.matcher(String.valueOf(parameter(name).get("Default"))).matches())
                    .as("%s accepts its default", name).isTrue();
            judged++;
        }
        assertThat(judged).isGreaterThanOrEqualTo(7);
    }

    @Test
    void theSlackSecretPattern_acceptsExactlyTheArnsTheFunctionAccepts() {
        Pattern pattern = Pattern.compile(String.valueOf(parameter("SlackWebhookSecretArn").get("AllowedPattern")));
        for (String arn : samples("SlackWebhookSecretArn", "accepted")) {
            assertThat(pattern.matcher(arn).matches()).isTrue();
            assertThat(SecretArn.parse(arn).value()).isEqualTo(arn);
        }
        for (String arn : samples("SlackWebhookSecretArn", "rejected")) {
            assertThat(pattern.matcher(arn).matches()).as(arn).isFalse();
            assertThatThrownBy(() -> SecretArn.parse(arn)).as(arn).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void whatTheTemplateLetsThrough_theFunctionAccepts() {
        accepts("ProductionTagPatterns", ProductionTags::parse);
        accepts("SilencedRepositories", RepositoryPatterns::parse);
        accepts("ExistingAlertTopicArn", TopicArn::new);
    }

    private void accepts(String name, Consumer<String> functionReads) {
        assertThat(samples(name, "accepted")).isNotEmpty().allSatisfy(functionReads::accept);
    }
}
