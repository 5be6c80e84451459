package dev.ecrdigestguard.config;

import dev.ecrdigestguard.image.ProductionTags;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The function's settings, read once at start-up from the environment and validated: a bad or missing value stops
 * initialisation with a message naming the variable, instead of failing later on every event.
 */
public record GuardConfig(ProductionTags productionTags, Optional<TopicArn> alertTopic, Mode mode, LogLevel logLevel) {

    public static final String PRODUCTION_TAG_PATTERNS = "PRODUCTION_TAG_PATTERNS";
    public static final String ALERT_TOPIC_ARN = "ALERT_TOPIC_ARN";
    public static final String MODE = "MODE";
    public static final String LOG_LEVEL = "LOG_LEVEL";

    /** What the guard does about a finding. */
    public enum Mode { ALERT }

    public enum LogLevel { DEBUG, INFO, WARN, ERROR }

    public GuardConfig {
        Objects.requireNonNull(productionTags);
        Objects.requireNonNull(alertTopic);
        Objects.requireNonNull(mode);
        Objects.requireNonNull(logLevel);
    }

    /** Settings for the Lambda function: every variable the template sets is required there. */
    public static GuardConfig forFunction(Map<String, String> environment) {
        GuardConfig config = from(environment);
        if (config.alertTopic().isEmpty()) {
            throw new ConfigurationException(ALERT_TOPIC_ARN + " is not set: the function needs the SNS topic to "
                    + "publish alerts to");
        }
        return config;
    }

    /** Settings as the command line reads them: the topic is optional there (needed only to publish). */
    public static GuardConfig from(Map<String, String> environment) {
        return new GuardConfig(
                productionTags(environment.get(PRODUCTION_TAG_PATTERNS)),
                topic(environment.get(ALERT_TOPIC_ARN)),
                choice(environment, MODE, Mode.class, Mode.ALERT),
                choice(environment, LOG_LEVEL, LogLevel.class, LogLevel.INFO));
    }

    private static ProductionTags productionTags(String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(PRODUCTION_TAG_PATTERNS + " is not set: give the production tag "
                    + "patterns, comma-separated, e.g. 'tag-*,v*.*.*'");
        }
        try {
            return ProductionTags.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(PRODUCTION_TAG_PATTERNS + ": " + e.getMessage());
        }
    }

    private static Optional<TopicArn> topic(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TopicArn(value.trim()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(ALERT_TOPIC_ARN + ": " + e.getMessage());
        }
    }

    private static <E extends Enum<E>> E choice(Map<String, String> environment, String variable, Class<E> type,
                                                E fallback) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name());
            }
            throw new ConfigurationException(variable + " is '" + value + "'; expected one of " + allowed);
        }
    }
}
