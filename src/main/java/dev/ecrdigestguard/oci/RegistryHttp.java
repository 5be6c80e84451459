package dev.ecrdigestguard.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.registry.RegistryException;
import dev.ecrdigestguard.text.Echo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends registry requests, answers authentication challenges once per request, and turns failures into
 * {@link RegistryException}s that say which request failed and whether a retry can help.
 */
final class RegistryHttp {

    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final URI endpoint;
    private final HttpClient client;
    private final Duration timeout;
    private final Authenticator authenticator;

    RegistryHttp(URI endpoint, HttpClient client, Duration timeout, RegistryCredentials credentials) {
        this.endpoint = endpoint;
        this.client = client;
        this.timeout = timeout;
        this.authenticator = new Authenticator(credentials, this);
    }

    /** {@code /v2/<repository>/<rest>} on this registry; {@code rest} is already URL-safe (digests, tags, fixed words). */
    URI repositoryUri(RepositoryName repository, String rest) {
        return endpoint.resolve("/v2/" + repository.value() + "/" + rest);
    }

    static String pullScope(RepositoryName repository) {
        return "repository:" + repository.value() + ":pull";
    }

    static String pushScope(RepositoryName repository) {
        return "repository:" + repository.value() + ":pull,push";
    }

    /** Sends the request, authenticating when the registry challenges it; the caller judges the status. */
    HttpResponse<byte[]> send(RegistryRequest request) {
        Optional<String> authorization = authenticator.cached(request.scope());
        HttpResponse<byte[]> response = sendOnce(request, authorization);
        if (response.statusCode() == 401) {
            // A 401 with a cached token usually means it expired; either way the challenge says what to do next.
            List<String> challenges = response.headers().allValues("WWW-Authenticate");
            authorization = Optional.of(authenticator.answer(challenges, request));
            response = sendOnce(request, authorization);
        }
        return response;
    }

    /** Sends without any authentication handling: token requests, and redirects to presigned storage URLs. */
    HttpResponse<byte[]> sendOnce(RegistryRequest request, Optional<String> authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(timeout);
        request.headers().forEach(builder::header);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        builder.method(request.method(), request.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        try {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // The JDK's ConnectException names no host; the origin (never the path or query: a presigned storage URL
            // carries credentials there) tells a wrong --registry from a network that is down.
            URI uri = request.uri();
            String origin = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            throw new RegistryException(request.describe() + " failed: cannot reach " + origin + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")",
                    true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(request.describe() + " was interrupted", true, e);
        }
    }

    /** The exception for an unexpected status: 429 and 5xx may pass with time, other statuses won't. */
    static RegistryException failure(RegistryRequest request, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        boolean retryable = status == 429 || status >= 500;
        String hint = switch (status) {
            case 401 -> " (credentials missing or rejected)";
            case 403 -> " (access denied)";
            case 429 -> " (throttled)";
            default -> "";
        };
        return new RegistryException(request.describe() + " returned HTTP " + status + hint + errorDetail(response),
                retryable);
    }

    /** The {@code errors} the distribution spec puts in failure bodies, e.g. ": MANIFEST_INVALID manifest invalid". */
    private static String errorDetail(HttpResponse<byte[]> response) {
        byte[] body = response.body();
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode errors = Json.mapper().readTree(body).path("errors");
            StringBuilder detail = new StringBuilder();
            for (JsonNode error : errors) {
                detail.append(detail.length() == 0 ? ": " : "; ")
                        .append(error.path("code").asText()).append(' ').append(error.path("message").asText());
            }
            // The registry's own words, on their way to logs, stderr and alerts: short and escaped.
            return Echo.of(detail.toString(), 400);
        } catch (IOException notJson) {
            return "";
        }
    }

    /** The {@code rel="next"} target of a {@code Link} header, resolved against the request, if any. */
    static Optional<URI> nextPage(HttpResponse<byte[]> response) {
        for (String link : response.headers().allValues("Link")) {
            Matcher matcher = NEXT_LINK.matcher(link);
            if (matcher.find()) {
                return Optional.of(response.request().uri().resolve(matcher.group(1)));
            }
        }
        return Optional.empty();
    }

    static String contentType(HttpResponse<byte[]> response) {
        return response.headers().firstValue("Content-Type").map(value -> value.split(";", 2)[0].trim()).orElse("");
    }
}
