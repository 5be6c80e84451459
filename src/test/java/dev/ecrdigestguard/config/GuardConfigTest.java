package dev.ecrdigestguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.image.ProductionTags;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GuardConfigTest {

    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:ecr-digest-guard";

    @Test
    void forFunction_readsEveryVariable() {
        GuardConfig config = GuardConfig.forFunction(Map.of(
                "PRODUCTION_TAG_PATTERNS", "tag-*,v*.*.*",
                "ALERT_TOPIC_ARN", TOPIC,
                "MODE", "alert",
                "LOG_LEVEL", "debug"));

        assertThat(config.productionTags()).isEqualTo(ProductionTags.parse("tag-*,v*.*.*"));
        assertThat(config.alertTopic()).contains(new TopicArn(TOPIC));
        assertThat(config.mode()).isEqualTo(GuardConfig.Mode.ALERT);
        assertThat(config.logLevel()).isEqualTo(GuardConfig.LogLevel.DEBUG);
    }

    @Test
    void from_defaultsModeAndLogLevel_andLeavesTheTopicOptional() {
        GuardConfig config = GuardConfig.from(Map.of("PRODUCTION_TAG_PATTERNS", "tag-*"));

        assertThat(config.alertTopic()).isEmpty();
        assertThat(config.mode()).isEqualTo(GuardConfig.Mode.ALERT);
        assertThat(config.logLevel()).isEqualTo(GuardConfig.LogLevel.INFO);
    }

    @ParameterizedTest(name = "{0}=''{1}'' fails naming {0}")
    @CsvSource(delimiter = '|', value = {
            "PRODUCTION_TAG_PATTERNS | ''                   | PRODUCTION_TAG_PATTERNS is not set",
            "PRODUCTION_TAG_PATTERNS | tag-*,,v*            | empty entry",
            "PRODUCTION_TAG_PATTERNS | a*b*c*d*e*f          | wildcards",
            "PRODUCTION_TAG_PATTERNS | tag?                 | '?'",
            "ALERT_TOPIC_ARN         | ''                   | ALERT_TOPIC_ARN is not set",
            "ALERT_TOPIC_ARN         | my-topic             | 'my-topic' is not an SNS topic ARN",
            "MODE                    | RETAG                | expected one of ALERT",
            "LOG_LEVEL               | LOUD                 | expected one of DEBUG, INFO, WARN, ERROR"
    })
    void forFunction_rejectsABadValue_namingTheVariable(String variable, String value, String detail) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "PRODUCTION_TAG_PATTERNS", "tag-*", "ALERT_TOPIC_ARN", TOPIC, "MODE", "ALERT", "LOG_LEVEL", "INFO"));
        environment.put(variable, value);

        assertThatThrownBy(() -> GuardConfig.forFunction(environment))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(variable)
                .hasMessageContaining(detail);
    }

    @Test
    void forFunction_rejectsAMissingTopic_namingTheVariable() {
        assertThatThrownBy(() -> GuardConfig.forFunction(Map.of("PRODUCTION_TAG_PATTERNS", "tag-*")))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("ALERT_TOPIC_ARN is not set");
    }
}
