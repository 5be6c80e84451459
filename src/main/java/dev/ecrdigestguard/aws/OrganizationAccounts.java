package dev.ecrdigestguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.json.JsonText;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;

/**
 * The active accounts of the caller's organization: AWS Organizations {@code ListAccounts}, every page. Only the
 * command line calls it ({@code audit --organization}), with the credentials of the person running it, from the
 * management account or a delegated administrator.
 *
 * <p>Why not the SDK's Organizations client: its module is not served by the registry this project builds from, and
 * one operation doesn't justify 2 MB in the function's package. So this is one JSON-protocol request ({@link SignedCall}),
 * with the SDK's endpoint settings honoured ({@code aws.endpointUrlOrganizations},
 * {@code AWS_ENDPOINT_URL_ORGANIZATIONS}, then the general {@code aws.endpointUrl}, {@code AWS_ENDPOINT_URL}); profile
 * {@code endpoint_url} settings are not read.
 */
public final class OrganizationAccounts {

    /** The JSON protocol's operation header; the tests' {@code SdkOperations} reads it as organizations:ListAccounts. */
    static final String TARGET = "AWSOrganizationsV20161128.ListAccounts";

    private final SignedCall listAccounts;

    /** ListAccounts failed; the message says what to do. */
    public static final class ListingFailed extends ServiceFailure {
        ListingFailed(String message, boolean retryable, Throwable cause) {
            super(message, retryable, cause);
        }
    }

    OrganizationAccounts(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpoint, String signingRegion) {
        this.listAccounts = SignedCall.at("organizations:ListAccounts", "organizations", signingRegion, endpoint,
                credentials, http);
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
        URI endpoint = SignedCall.endpointOverride("Organizations")
                .orElseGet(() -> URI.create("https://" + organizations.endpointFor(global)));
        return new OrganizationAccounts(AwsClients.http(), credentials, endpoint,
                organizations.signingRegion(global).id());
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
        try {
            return listAccounts.json(TARGET, "", JsonText.write(body).getBytes(StandardCharsets.UTF_8));
        } catch (SignedCall.Failed e) {
            String text = e.reason();
            if (e.errorCode().equals("AccessDeniedException")
                    || e.errorCode().equals("AWSOrganizationsNotInUseException")) {
                text += " — run it with credentials of the organization's management account or of a delegated "
                        + "administrator, or name the accounts with --accounts";
            }
            throw new ListingFailed(text, e.retryable(), e);
        }
    }
}
