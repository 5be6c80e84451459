package dev.ecrdigestguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The settings this feature adds: the Slack webhook secret, silenced repositories, the log level. */
class GuardConfigOperationsTest {

    private static GuardConfig config(String... keyValues) {
        Map<String, String> environment = new HashMap<>();
        environment.put(GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*");
        environment.put(GuardConfig.ALERT_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:guard-alerts");
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            environment.put(keyValues[i], keyValues[i + 1]);
        }
        return GuardConfig.forFunction(environment);
    }

    @Test
    void slackSecret_emptyOrUnset_turnsSlackOff() {
        assertThat(config().slackWebhookSecret()).isEmpty();
        assertThat(config(GuardConfig.SLACK_WEBHOOK_SECRET_ARN, " ").slackWebhookSecret()).isEmpty();
    }

    @Test
    void slackSecret_secretsManagerArn_isAccepted_withItsRegion() {
        SecretArn arn = config(GuardConfig.SLACK_WEBHOOK_SECRET_ARN,
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:guard/slack-AbCdEf")
                .slackWebhookSecret().orElseThrow();

        assertThat(arn.store()).isEqualTo(SecretArn.Store.SECRETS_MANAGER);
        assertThat(arn.region()).isEqualTo("us-east-1");
    }

    @Test
    void slackSecret_ssmParameterArn_isAccepted() {
        SecretArn arn = config(GuardConfig.SLACK_WEBHOOK_SECRET_ARN,
                "arn:aws:ssm:eu-west-1:123456789012:parameter/guard/slack-webhook").slackWebhookSecret().orElseThrow();

        assertThat(arn.store()).isEqualTo(SecretArn.Store.SSM_PARAMETER);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://hooks.slack.com/services/T0/B0/xyz",
        "guard/slack",
        "arn:aws:sns:eu-west-1:123456789012:topic",
        "arn:aws:secretsmanager:eu-west-1:1234:secret:x",
        "arn:aws:ssm:eu-west-1:123456789012:document/x"})
    void slackSecret_anythingElse_stopsStartUp_namingTheVariable(String value) {
        assertThatThrownBy(() -> config(GuardConfig.SLACK_WEBHOOK_SECRET_ARN, value))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("SLACK_WEBHOOK_SECRET_ARN: ")
                .hasMessageContaining("leave it empty to turn Slack off");
    }

    @Test
    void silencedRepositories_matchWholeNames_withWildcards() {
        RepositoryPatterns silenced = config(GuardConfig.SILENCED_REPOSITORIES, "sandbox/*, legacy-billing ,")
                .silencedRepositories();

        assertThat(silenced.matches("sandbox/anything/deep")).isTrue();
        assertThat(silenced.matches("legacy-billing")).isTrue();
        assertThat(silenced.matches("legacy-billing-v2")).isFalse();
        assertThat(silenced.matches("shop-api")).isFalse();
        assertThat(config().silencedRepositories().matches("shop-api")).isFalse();
    }

    @Test
    void silencedRepositories_badPattern_stopsStartUp_namingTheVariable() {
        assertThatThrownBy(() -> config(GuardConfig.SILENCED_REPOSITORIES, "Shop API"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("SILENCED_REPOSITORIES: ");
    }

    @ParameterizedTest
    @CsvSource({
        "'',    '',    INFO",
        "'',    TRACE, DEBUG",
        "'',    WARN,  WARN",
        "'',    FATAL, ERROR",
        "debug, ERROR, DEBUG"})
    void logLevel_ownSettingWins_elseLambdasApplicationLogLevel(String own, String lambda, String expected) {
        GuardConfig config = config(GuardConfig.LOG_LEVEL, own, GuardConfig.AWS_LAMBDA_LOG_LEVEL, lambda);

        assertThat(config.logLevel()).isEqualTo(GuardConfig.LogLevel.valueOf(expected));
    }
}
