package dev.ecrdigestguard.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ecrdigestguard.config.SecretArn;
import dev.ecrdigestguard.config.SecretUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real SDK clients against a local endpoint, set the way operators would: the SDK's own
 * {@code aws.endpointUrlSecretsManager} / {@code aws.endpointUrlSsm} settings.
 */
class AwsSecretSourceTest {

    static final SecretArn SECRET =
            SecretArn.parse("arn:aws:secretsmanager:eu-west-1:123456789012:secret:guard/slack-webhook-AbCdEf");
    static final SecretArn PARAMETER =
            SecretArn.parse("arn:aws:ssm:eu-west-1:123456789012:parameter/guard/slack-webhook");
    static final String WEBHOOK = "https://hooks.slack.com/services/T0AAAA/B0BBBB/s3cr3tT0k3n";

    private WireMockServer aws;

    @BeforeEach
    void start() {
        aws = new WireMockServer(options().dynamicPort());
        aws.start();
        System.setProperty("aws.endpointUrlSecretsManager", aws.baseUrl());
        System.setProperty("aws.endpointUrlSsm", aws.baseUrl());
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.endpointUrlSecretsManager");
        System.clearProperty("aws.endpointUrlSsm");
        aws.stop();
    }

    static void stubSecret(WireMockServer aws, String value) {
        aws.stubFor(post("/").withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"ARN\":\"" + SECRET + "\",\"Name\":\"guard/slack-webhook\","
                                + "\"SecretString\":\"" + value + "\",\"VersionId\":\"v1\"}")));
    }

    @Test
    void read_secretsManagerArn_returnsTheSecretString() {
        stubSecret(aws, WEBHOOK);

        String value = new AwsSecretSource().read(SECRET);

        assertThat(value).isEqualTo(WEBHOOK);
        aws.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(equalToJson("{\"SecretId\":\"" + SECRET + "\"}")));
    }

    @Test
    void read_ssmParameterArn_asksForDecryption() {
        aws.stubFor(post("/").withHeader("X-Amz-Target", equalTo("AmazonSSM.GetParameter"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"Parameter\":{\"Name\":\"/guard/slack-webhook\",\"Type\":\"SecureString\","
                                + "\"Value\":\"" + WEBHOOK + "\",\"Version\":3,\"ARN\":\"" + PARAMETER + "\"}}")));

        String value = new AwsSecretSource().read(PARAMETER);

        assertThat(value).isEqualTo(WEBHOOK);
        aws.verify(1, postRequestedFor(urlEqualTo("/"))
                .withRequestBody(equalToJson("{\"Name\":\"" + PARAMETER + "\",\"WithDecryption\":true}")));
    }

    @Test
    void read_accessDenied_isAClearNonRetryableError_namingTheArnAndTheAction() {
        aws.stubFor(post("/").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"AccessDeniedException\",\"Message\":\"User is not authorized to perform "
                        + "secretsmanager:GetSecretValue\"}")));

        SecretUnavailableException thrown = catchThrowableOfType(SecretUnavailableException.class,
                () -> new AwsSecretSource().read(SECRET));

        assertThat(thrown.retryable()).isFalse();
        assertThat(thrown.getMessage()).contains("secretsmanager:GetSecretValue", SECRET.value(),
                "AccessDeniedException");
    }

    @Test
    void read_missingParameter_isAClearError() {
        aws.stubFor(post("/").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"ParameterNotFound\",\"message\":\"\"}")));

        SecretUnavailableException thrown = catchThrowableOfType(SecretUnavailableException.class,
                () -> new AwsSecretSource().read(PARAMETER));

        assertThat(thrown.retryable()).isFalse();
        assertThat(thrown.getMessage()).contains("ssm:GetParameter", PARAMETER.value(), "ParameterNotFound");
    }
}
