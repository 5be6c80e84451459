package dev.ecrdigestguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.json.JsonText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;

/**
 * The active accounts of the caller's organization: AWS Organizations {@code ListAccounts}, every page. Only the
 * command line calls it ({@code audit --organization}), with the credentials of the person running it, from the
 * management account or a delegated administrator.
 *
 * <p>Why not the SDK's Organizations client: its module is not served by the registry this project builds from, and
 * one operation doesn't justify 2 MB in the function's package. So this is one JSON-protocol request, signed by the
 * SDK's own SigV4 signer and sent through the process's SDK HTTP client, with the SDK's endpoint settings honoured
 * ({@code aws.endpointUrlOrganizations}, {@code AWS_ENDPOINT_URL_ORGANIZATIONS}, then the general
 * {@code aws.endpointUrl}, {@code AWS_ENDPOINT_URL}); profile {@code endpoint_url} settings are not read.
 */
public final class OrganizationAccounts {

    /** The JSON protocol's operation header; the tests' {@code SdkOperations} reads it as organizations:ListAccounts. */
    static final String TARGET = "AWSOrganizationsV20161128.ListAccounts";
    private static final int ATTEMPTS = 4;

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final String signingRegion;

    /** ListAccounts failed; the message says what to do. */
    public static final class ListingFailed extends ServiceFailure {
        ListingFailed(String message, boolean retryable, Throwable cause) {
            super(message, retryable, cause);
        }
    }

    OrganizationAccounts(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpoint, String signingRegion) {
        this.http = Objects.requireNonNull(http, "http");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.signingRegion = Objects.requireNonNull(signingRegion, "signingRegion");
    }

    /**
     * Organizations in {@code partition} ({@code aws}, {@code aws-cn}, {@code aws-us-gov}): a global service, reached
     * at the partition's global endpoint whatever the caller's region.
     */
    public static OrganizationAccounts create(AwsCredentialsProvider credentials, String partition) {
        Region global = switch (partition) {
            case "aws-cn" -> Region.AWS_CN_GLOBAL;
            case "aws-us-gov" -> Region.AWS_US_GOV_GLOBAL;
            default -> Region.AWS_GLOBAL;
        };
        ServiceMetadata organizations = ServiceMetadata.of("organizations");
        URI endpoint = endpointOverride().orElseGet(() -> URI.create("https://" + organizations.endpointFor(global)));
        return new OrganizationAccounts(AwsClients.http(), credentials, endpoint,
                organizations.signingRegion(global).id());
    }

    /** The SDK's own names for an endpoint override, service-specific first. */
    static Optional<URI> endpointOverride() {
        for (String value : new String[] {System.getProperty("aws.endpointUrlOrganizations"),
                System.getenv("AWS_ENDPOINT_URL_ORGANIZATIONS"), System.getProperty("aws.endpointUrl"),
                System.getenv("AWS_ENDPOINT_URL")}) {
            if (value != null && !value.isBlank()) {
                return Optional.of(URI.create(value.trim()));
            }
        }
        return Optional.empty();
    }

    /** Every account whose state is {@code ACTIVE} (suspended and closing accounts can't be read), in listing order. */
    public List<String> activeAccounts() {
        List<String> accounts = new ArrayList<>();
        Optional<String> next = Optional.empty();
        do {
            JsonNode page = call(next);
            for (JsonNode account : page.path("Accounts")) {
                // "State" replaces the deprecated "Status"; accept whichever the answer carries.
                String state = account.hasNonNull("State") ? account.get("State").asText()
                        : account.path("Status").asText();
                if ("ACTIVE".equals(state)) {
                    accounts.add(AccountRegion.requireAccount(account.path("Id").asText()));
                }
            }
            next = page.hasNonNull("NextToken") ? Optional.of(page.get("NextToken").asText()) : Optional.empty();
        } while (next.isPresent());
        return accounts;
    }

    /** One page; throttling and server errors are tried again with backoff (ListAccounts allows few calls a second). */
    private JsonNode call(Optional<String> nextToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("MaxResults", 20);
        nextToken.ifPresent(token -> body.put("NextToken", token));
        byte[] payload = JsonText.write(body).getBytes(StandardCharsets.UTF_8);
        ListingFailed last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return send(payload);
            } catch (ListingFailed e) {
                last = e;
                if (!e.retryable() || attempt == ATTEMPTS) {
                    throw e;
                }
                pause(200L << attempt);
            }
        }
        throw last;
    }

    private JsonNode send(byte[] payload) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", TARGET)
                .putHeader("Content-Length", Integer.toString(payload.length))
                .build();
        ContentStreamProvider content = ContentStreamProvider.fromByteArray(payload);
        try {
            SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
                    .identity(credentials.resolveCredentials())
                    .request(request)
                    .payload(content)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion));
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(content))
                    .build()).call();
            int status = response.httpResponse().statusCode();
            JsonNode answer = read(response.responseBody());
            if (status / 100 == 2) {
                return answer;
            }
            throw failure(status, answer);
        } catch (IOException e) {
            throw new ListingFailed("organizations:ListAccounts failed: " + e.getMessage(), true, e);
        } catch (RuntimeException e) {
            if (e instanceof ListingFailed) {
                throw e;
            }
            // No credentials, a bad endpoint: the SDK's own client-side failures.
            throw new ListingFailed("organizations:ListAccounts failed: " + e.getMessage(), false, e);
        }
    }

    private static ListingFailed failure(int status, JsonNode answer) {
        String type = answer.path("__type").asText("");
        String code = type.substring(type.lastIndexOf('#') + 1);
        String message = answer.hasNonNull("Message") ? answer.get("Message").asText()
                : answer.path("message").asText("");
        boolean retryable = status >= 500 || code.equals("TooManyRequestsException");
        String text = "organizations:ListAccounts failed: " + (code.isEmpty() ? "HTTP " + status : code
                + " (HTTP " + status + ")") + (message.isEmpty() ? "" : ": " + message);
        if (code.equals("AccessDeniedException") || code.equals("AWSOrganizationsNotInUseException")) {
            text += " — run it with credentials of the organization's management account or of a delegated "
                    + "administrator, or name the accounts with --accounts";
        }
        return new ListingFailed(text, retryable, null);
    }

    private static JsonNode read(Optional<? extends InputStream> body) throws IOException {
        if (body.isEmpty()) {
            return Json.mapper().createObjectNode();
        }
        try (InputStream in = body.get()) {
            byte[] bytes = in.readAllBytes();
            return bytes.length == 0 ? Json.mapper().createObjectNode() : Json.mapper().readTree(bytes);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while waiting to retry ListAccounts"));
        }
    }
}
