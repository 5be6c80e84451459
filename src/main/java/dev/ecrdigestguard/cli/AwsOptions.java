package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.config.AwsRegion;
import java.util.Optional;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * {@code --region} and {@code --profile}, as the AWS CLI has them (a picocli mixin for every command that calls
 * AWS). They set the AWS SDK's own settings, the {@code aws.region} and {@code aws.profile} system properties, so
 * every client the run builds — ECR, SNS, the Slack secret's — uses them through the SDK's default chains, exactly as
 * {@code AWS_REGION} and {@code AWS_PROFILE} would. Credentials of a named profile come from the SDK's profile
 * provider (keys, SSO, assumed roles, credential processes) and, as in the AWS CLI, win over credentials in the
 * environment. {@link Main} restores all of it after the run ({@link #reset()}).
 *
 * <p>{@link #apply()} also resolves the region once, before any client is built, so a missing region is one line
 * that says what to do instead of the SDK's 1,500-character account of every provider it tried.
 */
final class AwsOptions {

    static final String REGION_PROPERTY = "aws.region";
    static final String PROFILE_PROPERTY = "aws.profile";

    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS region, e.g. eu-west-1. Default: $AWS_REGION, else the profile's region.")
    String region;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Named profile from ~/.aws/config and ~/.aws/credentials. Default: $AWS_PROFILE, else"
                    + " default.")
    String profile;

    /**
     * Sets the run's AWS settings and returns the region every client will use.
     *
     * @throws IllegalArgumentException naming the option, for an unknown profile, a malformed region or no region
     */
    Region apply() {
        if (profile != null) {
            if (ProfileFile.defaultProfileFile().profile(profile).isEmpty()) {
                throw new IllegalArgumentException("--profile " + profile + ": no such profile in ~/.aws/config or"
                        + " ~/.aws/credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE); list them with"
                        + " `aws configure list-profiles`");
            }
            System.setProperty(PROFILE_PROPERTY, profile);
            AwsClients.useProfile(Optional.of(profile));
        }
        if (region != null) {
            if (AwsRegion.valid(region).isEmpty()) {
                throw new IllegalArgumentException("--region '" + region + "' is not an AWS region name such as"
                        + " eu-west-1");
            }
            System.setProperty(REGION_PROPERTY, region);
            return Region.of(region);
        }
        Region resolved = resolvedRegion().orElseThrow(() -> new IllegalArgumentException("no AWS region: pass"
                + " --region (e.g. --region eu-west-1), set AWS_REGION, or set region in the profile"
                + Optional.ofNullable(profile).map(p -> " " + p).orElse("") + " of ~/.aws/config"));
        // The chain ran once; the clients take its answer instead of running it again.
        System.setProperty(REGION_PROPERTY, resolved.id());
        return resolved;
    }

    /** Back to the SDK's defaults, when a run ends. */
    static void reset() {
        AwsClients.useProfile(Optional.empty());
    }

    private Optional<Region> resolvedRegion() {
        DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
        if (profile != null) {
            chain.profileName(profile);
        }
        try {
            return Optional.of(chain.build().getRegion());
        } catch (SdkClientException e) {
            return Optional.empty();
        }
    }
}
