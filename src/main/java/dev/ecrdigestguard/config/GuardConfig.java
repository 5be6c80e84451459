package dev.ecrdigestguard.config;

import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.text.Echo;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The function's settings, read once at start-up from the environment and validated: a bad or missing value stops
 * initialisation with a message naming the variable, instead of failing later on every event.
 */
public record GuardConfig(ProductionTags productionTags, Optional<TopicArn> alertTopic, Mode mode, LogLevel logLevel,
                          Optional<SecretArn> slackWebhookSecret, RepositoryPatterns silencedRepositories,
                          boolean retagSignedImages) {

    public static final String PRODUCTION_TAG_PATTERNS = "PRODUCTION_TAG_PATTERNS";
    public static final String ALERT_TOPIC_ARN = "ALERT_TOPIC_ARN";
    public static final String MODE = "MODE";
    public static final String LOG_LEVEL = "LOG_LEVEL";
    /** Set by Lambda from the function's {@code LoggingConfig.ApplicationLogLevel} when the log format is JSON. */
    public static final String AWS_LAMBDA_LOG_LEVEL = "AWS_LAMBDA_LOG_LEVEL";
    public static final String SLACK_WEBHOOK_SECRET_ARN = "SLACK_WEBHOOK_SECRET_ARN";
    public static final String SILENCED_REPOSITORIES = "SILENCED_REPOSITORIES";
    public static final String RETAG_SIGNED_IMAGES = "RETAG_SIGNED_IMAGES";
    /** Read by {@link MemberRole#fromEnvironment}: the role assumed in other accounts of the organization. */
    public static final String MEMBER_ROLE_NAME = "MEMBER_ROLE_NAME";
    // ---- release ledger and sweep (issue 10), read by SweepSettings
    /** The DynamoDB table of the release ledger, the alert state and the sweep's checkpoints. */
    public static final String LEDGER_TABLE = "LEDGER_TABLE";
    public static final String SWEEP_REPOSITORIES = "SWEEP_REPOSITORIES";
    public static final String SWEEP_ACCOUNTS = "SWEEP_ACCOUNTS";
    public static final String SWEEP_REGIONS = "SWEEP_REGIONS";
    /** The alias the sweep invokes for its next step (the template's AutoPublishAlias); unset: this version. */
    public static final String SWEEP_HAND_ON_ALIAS = "SWEEP_HAND_ON_ALIAS";

    /**
     * What the guard does about a shared digest: {@code ALERT} tells people; {@code RETAG} moves the pushed tag to an
     * image of its own with the same content, and tells people what it did (or why it couldn't).
     */
    public enum Mode { ALERT, RETAG }

    public enum LogLevel { DEBUG, INFO, WARN, ERROR }

    public GuardConfig {
        Objects.requireNonNull(productionTags);
        Objects.requireNonNull(alertTopic);
        Objects.requireNonNull(mode);
        Objects.requireNonNull(logLevel);
        Objects.requireNonNull(slackWebhookSecret);
        Objects.requireNonNull(silencedRepositories);
    }

    /** Without Slack, with no repository silenced, never re-tagging signed images. */
    public GuardConfig(ProductionTags productionTags, Optional<TopicArn> alertTopic, Mode mode, LogLevel logLevel) {
        this(productionTags, alertTopic, mode, logLevel, Optional.empty(), RepositoryPatterns.none(), false);
    }

    /** Settings without the re-tag options: signed images are never re-tagged. */
    public GuardConfig(ProductionTags productionTags, Optional<TopicArn> alertTopic, Mode mode, LogLevel logLevel,
                       Optional<SecretArn> slackWebhookSecret, RepositoryPatterns silencedRepositories) {
        this(productionTags, alertTopic, mode, logLevel, slackWebhookSecret, silencedRepositories, false);
    }

    /** The same settings in another mode (the command line reports without re-tagging unless asked to act). */
    public GuardConfig withMode(Mode other) {
        return new GuardConfig(productionTags, alertTopic, other, logLevel, slackWebhookSecret, silencedRepositories,
                retagSignedImages);
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
                logLevel(environment),
                secret(environment.get(SLACK_WEBHOOK_SECRET_ARN)),
                silenced(environment.get(SILENCED_REPOSITORIES)),
                flag(environment, RETAG_SIGNED_IMAGES));
    }

    /**
     * {@code LOG_LEVEL} when set; otherwise the level Lambda passes in {@code AWS_LAMBDA_LOG_LEVEL} (its TRACE is our
     * DEBUG, its FATAL our ERROR); otherwise INFO. Lambda also drops JSON lines below that level itself, so the two
     * agree; setting {@code LOG_LEVEL} lower than the function's application log level shows nothing more.
     */
    private static LogLevel logLevel(Map<String, String> environment) {
        String own = environment.get(LOG_LEVEL);
        if (own != null && !own.isBlank()) {
            return choice(environment, LOG_LEVEL, LogLevel.class, LogLevel.INFO);
        }
        String lambda = environment.get(AWS_LAMBDA_LOG_LEVEL);
        if (lambda == null || lambda.isBlank()) {
            return LogLevel.INFO;
        }
        return switch (lambda.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE", "DEBUG" -> LogLevel.DEBUG;
            case "WARN" -> LogLevel.WARN;
            case "ERROR", "FATAL" -> LogLevel.ERROR;
            default -> LogLevel.INFO;
        };
    }

    private static Optional<SecretArn> secret(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(SecretArn.parse(value));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(SLACK_WEBHOOK_SECRET_ARN + ": " + e.getMessage()
                    + "; leave it empty to turn Slack off");
        }
    }

    private static RepositoryPatterns silenced(String value) {
        try {
            return RepositoryPatterns.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(SILENCED_REPOSITORIES + ": " + e.getMessage());
        }
    }

    /** {@code true} or {@code false} (any case); unset means false, anything else is an error, not a silent false. */
    private static boolean flag(Map<String, String> environment, String variable) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            return false;
        }
        String normalised = value.trim().toLowerCase(Locale.ROOT);
        if (normalised.equals("true") || normalised.equals("false")) {
            return Boolean.parseBoolean(normalised);
        }
        throw new ConfigurationException(variable + " is '" + Echo.of(value) + "'; expected true or false");
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
            throw new ConfigurationException(variable + " is '" + Echo.of(value) + "'; expected one of " + allowed);
        }
    }
}
