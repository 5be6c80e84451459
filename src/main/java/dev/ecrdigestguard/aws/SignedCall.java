package dev.ecrdigestguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;

/**
 * One AWS API operation sent without the service's SDK module: the request signed by the SDK's own SigV4 signer and
 * sent through the process's SDK HTTP client, with the SDK's endpoint settings honoured. For operations whose module
 * would weigh far more than the call — the function's package may grow by 10% at most, and SSM's module alone is 6 MB
 * for one {@code GetParameter} (README "Performance").
 *
 * <p>Each instance is one operation, named by its IAM action ({@code "ssm:GetParameter"}): failure messages say it,
 * and the template test reads it from the {@link #forAction} call to check the function is allowed exactly what it
 * calls. Throttling and server errors are tried again with backoff, as the SDK would.
 */
public final class SignedCall {

    private static final int ATTEMPTS = 4;

    private final String action;
    private final String signingName;
    private final String signingRegion;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;

    /** The operation failed; {@link #errorCode()} is the service's error code, empty when the call never got one. */
    public static final class Failed extends ServiceFailure {
        private final String errorCode;
        private final int status;
        private final String reason;

        Failed(String reason, String hint, String errorCode, int status, boolean retryable, Throwable cause) {
            super(reason + hint, retryable, cause);
            this.reason = reason;
            this.errorCode = errorCode;
            this.status = status;
        }

        /** The message without the advice on permissions, for callers that give advice of their own. */
        public String reason() {
            return reason;
        }

        public String errorCode() {
            return errorCode;
        }

        /** The HTTP status, or 0 when no answer came. */
        public int status() {
            return status;
        }
    }

    /** A successful answer: its status and body. */
    public record Answer(int status, byte[] body) {

        /** The body as JSON; an empty body is an empty object. */
        public JsonNode json() {
            if (body.length == 0) {
                return Json.mapper().createObjectNode();
            }
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new IllegalArgumentException("the answer is not JSON: " + e.getMessage(), e);
            }
        }
    }

    private SignedCall(String action, String signingName, String signingRegion, URI endpoint,
                          AwsCredentialsProvider credentials, SdkHttpClient http) {
        this.action = action;
        this.signingName = signingName;
        this.signingRegion = signingRegion;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.http = http;
    }

    /**
     * The operation {@code action} ({@code "lambda:InvokeFunction"}) of the service whose endpoint prefix and signing
     * name is {@code service} ({@code "lambda"}), in {@code region}, at the endpoint the SDK's settings name
     * ({@code aws.endpointUrl<Service>}, {@code AWS_ENDPOINT_URL_<SERVICE>}, then the general ones) or the region's.
     *
     * @param serviceId the SDK's service id as its endpoint settings spell it ({@code "Ssm"}, {@code "Lambda"})
     */
    public static SignedCall forAction(String action, String service, String serviceId, Region region,
                                       AwsCredentialsProvider credentials) {
        URI endpoint = endpointOverride(serviceId)
                .orElseGet(() -> URI.create("https://" + ServiceMetadata.of(service).endpointFor(region)));
        return new SignedCall(action, service, region.id(), endpoint, credentials, AwsClients.http());
    }

    /** The same operation at another endpoint and signing region: global services and tests. */
    static SignedCall at(String action, String signingName, String signingRegion, URI endpoint,
                            AwsCredentialsProvider credentials, SdkHttpClient http) {
        return new SignedCall(Objects.requireNonNull(action), Objects.requireNonNull(signingName),
                Objects.requireNonNull(signingRegion), Objects.requireNonNull(endpoint),
                Objects.requireNonNull(credentials), Objects.requireNonNull(http));
    }

    /** The SDK's own names for an endpoint override, service-specific first ({@code Ssm}: aws.endpointUrlSsm). */
    static Optional<URI> endpointOverride(String serviceId) {
        String variable = "AWS_ENDPOINT_URL_" + serviceId.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
        for (String value : new String[] {System.getProperty("aws.endpointUrl" + serviceId), System.getenv(variable),
                System.getProperty("aws.endpointUrl"), System.getenv("AWS_ENDPOINT_URL")}) {
            if (value != null && !value.isBlank()) {
                return Optional.of(URI.create(value.trim()));
            }
        }
        return Optional.empty();
    }

    public String action() {
        return action;
    }

    /** A JSON 1.1 protocol call ({@code X-Amz-Target}), {@code target} naming the operation. */
    public JsonNode json(String target, String subject, byte[] payload) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-amz-json-1.1");
        headers.put("X-Amz-Target", target);
        return send(SdkHttpMethod.POST, "", headers, subject, payload).json();
    }

    /**
     * A REST call: {@code path} (already encoded) after the endpoint, with {@code headers}.
     *
     * @param subject what the call is about, for messages ("function arn:…")
     */
    public Answer send(SdkHttpMethod method, String path, Map<String, String> headers, String subject,
                       byte[] payload) {
        Failed last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return once(method, path, headers, subject, payload);
            } catch (Failed e) {
                last = e;
                if (!e.retryable() || attempt == ATTEMPTS) {
                    throw e;
                }
                pause(Duration.ofMillis(100L << attempt));
            }
        }
        throw last;
    }

    private Answer once(SdkHttpMethod method, String path, Map<String, String> headers, String subject,
                        byte[] payload) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(method)
                .uri(URI.create(endpoint.toString().replaceAll("/+$", "") + path))
                .putHeader("Content-Length", Integer.toString(payload.length));
        headers.forEach(request::putHeader);
        ContentStreamProvider content = ContentStreamProvider.fromByteArray(payload);
        try {
            var signed = AwsV4HttpSigner.create().sign(sign -> sign
                    .identity(credentials.resolveCredentials())
                    .request(request.build())
                    .payload(content)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion));
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(content))
                    .build()).call();
            int status = response.httpResponse().statusCode();
            byte[] body = read(response.responseBody());
            if (status / 100 == 2) {
                return new Answer(status, body);
            }
            throw failure(subject, status, body, response.httpResponse().firstMatchingHeader("X-Amzn-ErrorType"));
        } catch (IOException e) {
            throw new Failed(failed(subject) + e.getMessage(), "", "", 0, true, e);
        } catch (Failed e) {
            throw e;
        } catch (RuntimeException e) {
            // No credentials, a bad endpoint: the SDK's own client-side failures, which another attempt can't mend.
            throw new Failed(failed(subject) + e.getMessage(), "", "", 0, false, e);
        }
    }

    /** "ssm:GetParameter on parameter arn:… failed: ParameterNotFound (HTTP 400): …", as AwsFailures words it. */
    private Failed failure(String subject, int status, byte[] body, Optional<String> errorTypeHeader) {
        JsonNode answer;
        try {
            answer = body.length == 0 ? Json.mapper().createObjectNode() : Json.mapper().readTree(body);
        } catch (IOException | RuntimeException e) {
            answer = Json.mapper().createObjectNode();
        }
        String type = answer.path("__type").asText(answer.path("code").asText(errorTypeHeader.orElse("")));
        String code = type.substring(type.lastIndexOf('#') + 1).replaceAll(":.*$", "");
        String message = answer.hasNonNull("Message") ? answer.get("Message").asText()
                : answer.path("message").asText("");
        boolean throttled = status == 429 || code.contains("Throttl") || code.equals("TooManyRequestsException")
                || code.equals("RequestLimitExceeded");
        StringBuilder text = new StringBuilder(failed(subject))
                .append(code.isEmpty() ? "HTTP " + status : code + " (HTTP " + status + ")");
        if (!message.isEmpty()) {
            text.append(": ").append(message.length() > 500 ? message.substring(0, 500) + "…" : message);
        }
        String hint = status == 403 || code.startsWith("AccessDenied") || code.equals("AuthorizationError")
                ? " — check that the function's role (or your credentials) allows " + action : "";
        return new Failed(text.toString(), hint, code, status, throttled || status >= 500, null);
    }

    /** "ssm:GetParameter on parameter arn:… failed: ", or without a subject "organizations:ListAccounts failed: ". */
    private String failed(String subject) {
        return action + (subject.isEmpty() ? "" : " on " + subject) + " failed: ";
    }

    private static byte[] read(Optional<? extends InputStream> body) throws IOException {
        if (body.isEmpty()) {
            return new byte[0];
        }
        try (InputStream in = body.get()) {
            return in.readNBytes(8 * 1024 * 1024);
        }
    }

    private void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed(action + " was interrupted while waiting to try again", "", "", 0, true, e);
        }
    }
}
