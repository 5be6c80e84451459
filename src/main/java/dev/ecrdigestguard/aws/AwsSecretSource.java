package dev.ecrdigestguard.aws;

import dev.ecrdigestguard.config.SecretArn;
import dev.ecrdigestguard.config.SecretSource;
import dev.ecrdigestguard.config.SecretUnavailableException;
import dev.ecrdigestguard.json.JsonText;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * {@link SecretSource} over Secrets Manager ({@code GetSecretValue}) and SSM Parameter Store ({@code GetParameter}
 * with decryption, for SecureString parameters). Each read builds the one client it needs, in the region of the ARN,
 * and closes it: the caller reads a secret once per execution environment, so keeping a client would only hold
 * memory. Callers cache the value, not this class.
 *
 * <p>Parameter Store is one signed JSON request ({@link SignedCall}) rather than the SDK's SSM client: that module is
 * 6 MB of the function's package for this one call.
 *
 * <p>Error messages carry the ARN and the service's error, never the value.
 */
public final class AwsSecretSource implements SecretSource {

    /** The JSON protocol's operation header for GetParameter. */
    static final String GET_PARAMETER = "AmazonSSM.GetParameter";

    private final Function<Region, SecretsManagerClient> secretsManager;

    public AwsSecretSource() {
        this(AwsClients::newSecretsManagerClient);
    }

    public AwsSecretSource(Function<Region, SecretsManagerClient> secretsManager) {
        this.secretsManager = secretsManager;
    }

    @Override
    public String read(SecretArn arn) {
        return switch (arn.store()) {
            case SECRETS_MANAGER -> fromSecretsManager(arn);
            case SSM_PARAMETER -> fromParameterStore(arn);
        };
    }

    private String fromSecretsManager(SecretArn arn) {
        try (SecretsManagerClient client = secretsManager.apply(Region.of(arn.region()))) {
            GetSecretValueResponse response = client.getSecretValue(request -> request.secretId(arn.value()));
            if (response.secretString() == null) {
                throw new SecretUnavailableException("secret " + arn + " holds binary data; store the webhook URL "
                        + "as a secret string", false, null);
            }
            return response.secretString();
        } catch (SdkException e) {
            throw failure("secretsmanager:GetSecretValue", arn, e);
        }
    }

    private String fromParameterStore(SecretArn arn) {
        SignedCall getParameter = SignedCall.forAction("ssm:GetParameter", "ssm", "Ssm", Region.of(arn.region()),
                AwsClients.credentials());
        // GetParameter takes the ARN as the name; that also reaches parameters shared from another account.
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("Name", arn.value());
        request.put("WithDecryption", true);
        try {
            var value = getParameter.json(GET_PARAMETER, arn.toString(),
                    JsonText.write(request).getBytes(StandardCharsets.UTF_8)).path("Parameter").path("Value");
            if (!value.isTextual()) {
                throw new SecretUnavailableException("parameter " + arn + " has no value", false, null);
            }
            return value.asText();
        } catch (SignedCall.Failed e) {
            throw new SecretUnavailableException(e.getMessage(), e.retryable(), e);
        }
    }

    private static SecretUnavailableException failure(String action, SecretArn arn, SdkException e) {
        return new SecretUnavailableException(AwsFailures.describe(action, arn.toString(), e),
                AwsFailures.retryable(e), e);
    }
}
