package dev.ecrdigestguard.oci;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP exchange with the registry, kept as a value so it can be sent again after an authentication challenge.
 *
 * @param scope the token scope the request needs, e.g. {@code repository:team/app:pull}
 * @param body  the request body, or null for none
 */
record RegistryRequest(String method, URI uri, Map<String, String> headers, byte[] body, String scope) {

    RegistryRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(scope, "scope");
    }

    static RegistryRequest get(URI uri, String scope, Map<String, String> headers) {
        return new RegistryRequest("GET", uri, headers, null, scope);
    }

    static RegistryRequest head(URI uri, String scope, Map<String, String> headers) {
        return new RegistryRequest("HEAD", uri, headers, null, scope);
    }

    /** What error messages call this request: method and path, never credentials or query tokens. */
    String describe() {
        return method + " " + uri.getRawPath();
    }
}
