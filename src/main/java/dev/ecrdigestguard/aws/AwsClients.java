package dev.ecrdigestguard.aws;

import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds SDK clients that share one URL-connection HTTP client (the lightest the SDK offers; Apache and Netty are
 * excluded from the build). Callers build each client once and keep it: the Lambda handler holds them for the life
 * of the execution environment.
 *
 * <p>Region and credentials come from the SDK's default chains; endpoints can be overridden only through the SDK's
 * own settings ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_ECR}, {@code AWS_ENDPOINT_URL_SNS}, or the
 * matching {@code aws.endpointUrl*} system properties) — there are no home-made endpoint variables.
 */
public final class AwsClients {

    private static final class Http {
        static final SdkHttpClient CLIENT = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The command line's {@code --profile}: see {@link #useProfile}. Null: the SDK's default chain. */
    private static volatile AwsCredentialsProvider profileCredentials;

    private AwsClients() {
    }

    /**
     * Credentials of one named profile for every client built from now on, or the SDK's default chain again when
     * empty. The command line's {@code --profile}: as with the AWS CLI, a profile named on the command line wins over
     * credentials in the environment, which the default chain would try first. The function never calls it.
     */
    public static void useProfile(Optional<String> profile) {
        profileCredentials = profile.<AwsCredentialsProvider>map(ProfileCredentialsProvider::create).orElse(null);
    }

    /**
     * The process's credentials ({@link #useProfile}, or the SDK's default chain), for requests signed without a
     * service client ({@link SignedCall}).
     */
    public static AwsCredentialsProvider credentials() {
        AwsCredentialsProvider credentials = profileCredentials;
        return credentials != null ? credentials : Chain.DEFAULT;
    }

    private static final class Chain {
        static final AwsCredentialsProvider DEFAULT = DefaultCredentialsProvider.builder().build();
    }

    /** A client builder with the process's credential choice ({@link #useProfile}); the default chain otherwise. */
    public static <B extends AwsClientBuilder<B, ?>> B configured(B builder) {
        AwsCredentialsProvider credentials = profileCredentials;
        return credentials == null ? builder : builder.credentialsProvider(credentials);
    }

    /** The process-wide HTTP client; closing a service client leaves it open. */
    public static SdkHttpClient http() {
        return Http.CLIENT;
    }

    public static EcrClient newEcrClient() {
        return newEcrClient(Http.CLIENT, timeouts());
    }

    public static SnsClient newSnsClient() {
        return newSnsClient(Http.CLIENT, timeouts());
    }

    /** The same client with another HTTP client and timeouts: tests use it to reach a timeout in milliseconds. */
    public static EcrClient newEcrClient(SdkHttpClient http, ClientOverrideConfiguration timeouts) {
        return configured(EcrClient.builder()).httpClient(http).overrideConfiguration(timeouts).build();
    }

    public static SnsClient newSnsClient(SdkHttpClient http, ClientOverrideConfiguration timeouts) {
        return configured(SnsClient.builder()).httpClient(http).overrideConfiguration(timeouts).build();
    }

    /**
     * ECR in {@code region} with {@code credentials}: a member account's registry ({@code AWS_ENDPOINT_URL_ECR} still
     * applies, so tests reach a local ECR).
     */
    public static EcrClient newEcrClient(AwsCredentialsProvider credentials, Region region) {
        return EcrClient.builder().httpClient(Http.CLIENT).overrideConfiguration(timeouts())
                .credentialsProvider(credentials).region(region).build();
    }

    /** DynamoDB in the default region: the ledger table ({@code AWS_ENDPOINT_URL_DYNAMODB}). */
    public static DynamoDbClient newDynamoDbClient() {
        return configured(DynamoDbClient.builder()).httpClient(Http.CLIENT).overrideConfiguration(timeouts()).build();
    }

    /**
     * CloudTrail in {@code region} with {@code credentials}: a registry's push history ({@code
     * AWS_ENDPOINT_URL_CLOUDTRAIL}). LookupEvents allows two calls a second per account and region; the SDK's standard
     * retries back off when throttled.
     */
    public static CloudTrailClient newCloudTrailClient(AwsCredentialsProvider credentials, Region region) {
        return CloudTrailClient.builder().httpClient(Http.CLIENT).overrideConfiguration(timeouts())
                .credentialsProvider(credentials).region(region).build();
    }

    /** STS in the default region, for assuming member roles ({@code AWS_ENDPOINT_URL_STS}). */
    public static StsClient newStsClient() {
        return configured(StsClient.builder()).httpClient(Http.CLIENT).overrideConfiguration(timeouts()).build();
    }

    /** In the secret's own region, which need not be the function's ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}). */
    public static SecretsManagerClient newSecretsManagerClient(Region region) {
        return configured(SecretsManagerClient.builder()).region(region).httpClient(Http.CLIENT)
                .overrideConfiguration(timeouts()).build();
    }

    /**
     * Each attempt is bounded so a hung connection fails the invocation well before Lambda's own timeout; a call that
     * never reached its endpoint fails with a message that names the endpoint.
     */
    public static ClientOverrideConfiguration timeouts() {
        return ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(Duration.ofSeconds(10))
                .apiCallTimeout(Duration.ofSeconds(30))
                .addExecutionInterceptor(new UnreachableEndpoint())
                .build();
    }
}
