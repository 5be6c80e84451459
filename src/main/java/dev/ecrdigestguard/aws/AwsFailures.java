package dev.ecrdigestguard.aws;

import dev.ecrdigestguard.text.Echo;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * How the adapters describe and classify SDK failures, once, so every port reports them alike. Public because the
 * registry adapter ({@code registry.ecr}) classifies ECR failures the same way.
 */
public final class AwsFailures {

    /** Enough of a service's error message for a person (ECR's longest, access denied with two ARNs, fits). */
    static final int SERVER_TEXT = 400;

    private AwsFailures() {
    }

    /**
     * Whether trying again later can help: throttling that outlasted the SDK's own retries, server errors, and
     * client-side failures (timeouts, connection resets). Access denied, validation errors and missing resources
     * need a person.
     */
    public static boolean retryable(SdkException e) {
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }

    /**
     * JSON-protocol services such as ECR answer a missing permission with HTTP 400 and {@code AccessDeniedException},
     * so the status code alone doesn't tell; SNS says {@code AuthorizationError} with 403.
     */
    private static boolean accessDenied(String errorCode) {
        return "AccessDeniedException".equals(errorCode) || "AccessDenied".equals(errorCode)
                || "AuthorizationError".equals(errorCode);
    }

    /**
     * "ecr:DescribeImages on repository 'app' failed: AccessDeniedException (403): …". What the service said is
     * echoed short and escaped: it is the server's text, and it travels on into logs, stderr and alerts.
     */
    public static String describe(String action, String target, SdkException e) {
        StringBuilder text = new StringBuilder(action).append(" on ").append(target).append(" failed: ")
                .append(said(e));
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && (service.statusCode() == 403 || accessDenied(service.awsErrorDetails().errorCode()))) {
            text.append(" — check that the function's role (or your credentials) allows ").append(action);
        }
        return text.toString();
    }

    /**
     * {@code GetCallerIdentity}, the guard asking STS which account its own credentials belong to, failed. It needs no
     * permission (not even an explicit deny stops it), so a refusal says the credentials themselves are wrong —
     * missing, expired, or of a disabled region's STS — and never that a member role was refused.
     */
    public static String describeOwnIdentity(SdkException e) {
        return "sts:GetCallerIdentity on the guard's own credentials failed: " + said(e) + " — it needs no "
                + "permission, so check that those credentials are present, valid and unexpired, and that STS is "
                + "reachable from here (`aws sts get-caller-identity` asks the same)";
    }

    private static String said(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return Echo.of(service.awsErrorDetails().errorCode()) + " (HTTP " + service.statusCode() + "): "
                    + Echo.of(service.awsErrorDetails().errorMessage(), SERVER_TEXT);
        }
        return Echo.of(e.getMessage(), SERVER_TEXT);
    }
}
