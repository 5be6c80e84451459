package dev.ecrdigestguard.aws;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * Invokes a Lambda function asynchronously ({@code Invoke} with {@code X-Amz-Invocation-Type: Event}): the sweep
 * handing its next step to a new invocation of the same function. One signed request ({@link SignedCall}) rather than
 * the SDK's Lambda module, which would add its weight to the package for this one call; Lambda answers 202 once the
 * event is queued, and retries the invocation itself if it fails.
 */
public final class FunctionInvoker {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern QUALIFIER = Pattern.compile("\\$LATEST|[A-Za-z0-9_-]{1,128}");

    private final SignedCall invoke;
    private final String function;
    private final String qualifier;

    FunctionInvoker(SignedCall invoke, String function, String qualifier) {
        this.invoke = Objects.requireNonNull(invoke, "invoke");
        if (function == null || !NAME.matcher(function).matches()) {
            throw new IllegalArgumentException("function name '" + function + "' is not a Lambda function name");
        }
        if (qualifier == null || !QUALIFIER.matcher(qualifier).matches()) {
            throw new IllegalArgumentException("qualifier '" + qualifier + "' is not a Lambda version or alias");
        }
        this.function = function;
        this.qualifier = qualifier;
    }

    /**
     * The function {@code function} at {@code qualifier} (a version or alias; {@code $LATEST}) in {@code region}, with
     * the process's credentials ({@code AWS_ENDPOINT_URL_LAMBDA} applies).
     */
    public static FunctionInvoker of(String function, String qualifier, Region region) {
        return new FunctionInvoker(SignedCall.forAction("lambda:InvokeFunction", "lambda", "Lambda", region,
                AwsClients.credentials()), function, qualifier);
    }

    /** Queues one invocation with {@code payload} as its event. */
    public void invokeAsync(String payload) {
        String path = "/2015-03-31/functions/" + function + "/invocations?Qualifier="
                + URLEncoder.encode(qualifier, StandardCharsets.UTF_8);
        invoke.send(SdkHttpMethod.POST, path, Map.of("X-Amz-Invocation-Type", "Event",
                "Content-Type", "application/json"), "function " + function + ":" + qualifier,
                payload.getBytes(StandardCharsets.UTF_8));
    }
}
