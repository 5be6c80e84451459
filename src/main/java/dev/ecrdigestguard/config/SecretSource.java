package dev.ecrdigestguard.config;

/**
 * Reads a secret's current value (port; {@code aws.AwsSecretSource} reads Secrets Manager and SSM Parameter Store).
 * Failures are {@link SecretUnavailableException}s whose message names the ARN and the cause, never the value.
 */
public interface SecretSource {

    String read(SecretArn arn);
}
