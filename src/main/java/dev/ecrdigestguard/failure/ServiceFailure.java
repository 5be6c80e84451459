package dev.ecrdigestguard.failure;

/**
 * A call to something outside the process failed: ECR, SNS, Secrets Manager or SSM, an OCI registry, a Slack webhook.
 * The one type the program asks "can a retry help?": the Lambda function fails the invocation on a retryable failure
 * so Lambda's retries and the on-failure destination keep the event, alert channels report a non-retryable one as
 * rejected, and the command line exits with status 3 for any of them.
 *
 * <p>Each port has its own subclass, so a caller can tell a catalog read from an alert delivery, but none adds
 * state: the message names the action, the target and the service's answer, and the cause is kept.
 */
public class ServiceFailure extends RuntimeException {

    private final boolean retryable;

    public ServiceFailure(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Whether trying again later can succeed: throttling, server errors, timeouts, a dropped connection. */
    public boolean retryable() {
        return retryable;
    }

    /**
     * Whether a retry can help with {@code failure}: a {@link ServiceFailure} says so itself; anything else (a bug,
     * an unexpected runtime error) is treated as retryable, since failing the invocation keeps the event.
     */
    public static boolean retryable(Throwable failure) {
        return !(failure instanceof ServiceFailure service) || service.retryable();
    }
}
