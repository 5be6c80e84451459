package dev.ecrdigestguard.aws;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Names the endpoint when a call never reached it. The SDK says "Unable to execute HTTP request: Connection refused"
 * and the JDK's {@code ConnectException} names no host, so a person can't tell a wrong {@code AWS_ENDPOINT_URL} from
 * a proxy or a network that is down. The failure stays an {@link SdkClientException} (retryable, as before), with
 * the original as its cause.
 */
final class UnreachableEndpoint implements ExecutionInterceptor {

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes executionAttributes) {
        Throwable failure = context.exception();
        if (!(failure instanceof SdkClientException) || context.httpRequest().isEmpty() || !unreachable(failure)) {
            return failure;
        }
        SdkHttpRequest request = context.httpRequest().get();
        boolean standardPort = request.port() == ("https".equals(request.protocol()) ? 443 : 80);
        String endpoint = request.protocol() + "://" + request.host() + (standardPort ? "" : ":" + request.port());
        return SdkClientException.builder()
                .message("cannot reach " + endpoint + " (" + rootMessage(failure) + "); check the region, the"
                        + " network or proxy, and AWS_ENDPOINT_URL if it is set")
                .cause(failure)
                .build();
    }

    private static boolean unreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException || cause instanceof HttpTimeoutException
                    || cause instanceof InterruptedIOException || cause instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
