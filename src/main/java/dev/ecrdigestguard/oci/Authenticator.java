package dev.ecrdigestguard.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.json.Json;
import dev.ecrdigestguard.registry.RegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers {@code WWW-Authenticate} challenges: {@code Basic} with the configured user and password, {@code Bearer}
 * with a token from the challenge's realm (the Docker token protocol: {@code GET realm?service=..&scope=..},
 * authenticated with the same user and password when there are any). Authorization values are cached per scope, so
 * only the first request of each kind pays the extra round trips.
 */
final class Authenticator {

    private static final Pattern PARAMETER = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");

    private final RegistryCredentials credentials;
    private final RegistryHttp http;
    private final Map<String, String> byScope = new ConcurrentHashMap<>();

    Authenticator(RegistryCredentials credentials, RegistryHttp http) {
        this.credentials = credentials;
        this.http = http;
    }

    Optional<String> cached(String scope) {
        return Optional.ofNullable(byScope.get(scope));
    }

    /** The Authorization header value that answers one of {@code challenges} for {@code request}. */
    String answer(List<String> challenges, RegistryRequest request) {
        for (String challenge : challenges) {
            String scheme = challenge.trim().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            if (scheme.equals("bearer")) {
                String authorization = "Bearer " + fetchToken(parameters(challenge), request);
                byScope.put(request.scope(), authorization);
                return authorization;
            }
            if (scheme.equals("basic")) {
                String authorization = basic().orElseThrow(() -> new RegistryException(request.describe()
                        + " returned HTTP 401: the registry requires a user name and password, none configured", false));
                byScope.put(request.scope(), authorization);
                return authorization;
            }
        }
        throw new RegistryException(request.describe() + " returned HTTP 401 without a Basic or Bearer challenge "
                + challenges, false);
    }

    private String fetchToken(Map<String, String> challenge, RegistryRequest request) {
        String realm = challenge.get("realm");
        if (realm == null) {
            throw new RegistryException(request.describe() + " returned a Bearer challenge without a realm", false);
        }
        StringBuilder query = new StringBuilder();
        if (challenge.containsKey("service")) {
            query.append("service=").append(encode(challenge.get("service")));
        }
        // Our scope, not the challenge's: a push request must ask for push even if the registry's hint says pull.
        query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(request.scope()));
        URI tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        RegistryRequest tokenRequest = RegistryRequest.get(tokenUri, request.scope(), Map.of("Accept", "application/json"));
        HttpResponse<byte[]> response = http.sendOnce(tokenRequest, basic());
        if (response.statusCode() != 200) {
            throw RegistryHttp.failure(tokenRequest, response);
        }
        try {
            JsonNode body = Json.mapper().readTree(response.body());
            String token = body.path("token").asText(body.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new RegistryException("token service " + tokenRequest.describe() + " returned no token", false);
            }
            return token;
        } catch (IOException e) {
            throw new RegistryException("token service " + tokenRequest.describe() + " returned invalid JSON", false, e);
        }
    }

    private Optional<String> basic() {
        if (credentials instanceof RegistryCredentials.Basic basic) {
            String pair = basic.username() + ":" + basic.password();
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
    }

    static Map<String, String> parameters(String challenge) {
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher matcher = PARAMETER.matcher(challenge);
        while (matcher.find()) {
            parameters.put(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(2));
        }
        return parameters;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
