package dev.ecrdigestguard.aws;

import dev.ecrdigestguard.config.SecretArn;
import dev.ecrdigestguard.config.SecretSource;
import dev.ecrdigestguard.config.SecretUnavailableException;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * {@link SecretSource} over Secrets Manager ({@code GetSecretValue}) and SSM Parameter Store ({@code GetParameter}
 * with decryption, for SecureString parameters). Each read builds the one client it needs, in the region of the ARN,
 * and closes it: the caller reads a secret once per execution environment, so keeping a client would only hold
 * memory. Callers cache the value, not this class.
 *
 * <p>Error messages carry the ARN and the service's error, never the value.
 */
public final class AwsSecretSource implements SecretSource {

    private final Function<Region, SecretsManagerClient> secretsManager;
    private final Function<Region, SsmClient> ssm;

    public AwsSecretSource() {
        this(AwsClients::newSecretsManagerClient, AwsClients::newSsmClient);
    }

    public AwsSecretSource(Function<Region, SecretsManagerClient> secretsManager, Function<Region, SsmClient> ssm) {
        this.secretsManager = secretsManager;
        this.ssm = ssm;
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
        try (SsmClient client = ssm.apply(Region.of(arn.region()))) {
            // GetParameter takes the ARN as the name; that also reaches parameters shared from another account.
            String value = client.getParameter(request -> request.name(arn.value()).withDecryption(true))
                    .parameter().value();
            if (value == null) {
                throw new SecretUnavailableException("parameter " + arn + " has no value", false, null);
            }
            return value;
        } catch (SdkException e) {
            throw failure("ssm:GetParameter", arn, e);
        }
    }

    private static SecretUnavailableException failure(String action, SecretArn arn, SdkException e) {
        return new SecretUnavailableException(AwsFailures.describe(action, arn.toString(), e),
                AwsFailures.retryable(e), e);
    }
}
