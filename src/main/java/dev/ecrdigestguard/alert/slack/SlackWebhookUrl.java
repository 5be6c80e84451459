package dev.ecrdigestguard.alert.slack;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Slack incoming-webhook URL. The URL <em>is</em> the credential (anyone holding it can post to the channel), and
 * where in it the secret sits depends on who made it (Slack puts it last in the path, a proxy or a workflow webhook
 * may put it first, or in the query), so {@link #toString()} and {@link #redacted()} show the host and nothing after
 * it: {@code hooks.slack.com/***}. {@link #uri()} is for the HTTP request and nothing else.
 */
public final class SlackWebhookUrl {

    private static final JsonFactory JSON = new JsonFactory();
    /** Parts shorter than this are words like "T" or "hooks", not secrets worth scrubbing from every message. */
    private static final int SHORTEST_SECRET = 6;

    private final URI uri;
    private final List<String> secretParts;

    private SlackWebhookUrl(URI uri) {
        this.uri = uri;
        this.secretParts = secretParts(uri);
    }

    /**
     * Reads the URL out of a secret's value: the URL itself, or a JSON object with a {@code webhookUrl} (or
     * {@code url}) member, the shape the Secrets Manager console produces for key/value secrets. Errors name the
     * {@code source} (an ARN) and what was wrong, never the value.
     */
    public static SlackWebhookUrl fromSecret(String secretValue, String source) {
        String candidate = secretValue == null ? "" : secretValue.trim();
        if (candidate.startsWith("{")) {
            candidate = fromJson(candidate, source);
        }
        URI uri;
        try {
            uri = new URI(candidate);
        } catch (URISyntaxException e) {
            throw invalid(source, "is not a URL");
        }
        if (uri.getHost() == null || uri.getRawPath() == null || uri.getRawPath().length() < 2) {
            throw invalid(source, "is not an absolute URL with a path");
        }
        boolean loopback = uri.getHost().equals("localhost") || uri.getHost().equals("127.0.0.1");
        // The URL is the credential: over plain HTTP it would cross the network in the clear.
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw invalid(source, "is not an https:// URL");
        }
        return new SlackWebhookUrl(uri);
    }

    /** The {@code webhookUrl} (else {@code url}) string member, read with the streaming parser (no data binding). */
    private static String fromJson(String json, String source) {
        Map<String, String> members = new HashMap<>();
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() == JsonToken.VALUE_STRING) {
                    members.put(name, parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw invalid(source, "looks like JSON but does not parse");
            }
        } catch (IOException e) {
            throw invalid(source, "looks like JSON but does not parse");
        }
        for (String key : new String[] {"webhookUrl", "url"}) {
            if (members.containsKey(key)) {
                return members.get(key).trim();
            }
        }
        throw invalid(source, "is a JSON object without a 'webhookUrl' member");
    }

    private static IllegalArgumentException invalid(String source, String problem) {
        return new IllegalArgumentException("the Slack webhook secret " + source + " " + problem
                + " (expected https://hooks.slack.com/services/T…/B…/…, or {\"webhookUrl\": \"…\"})");
    }

    public URI uri() {
        return uri;
    }

    /** The host (and port), then nothing of the path, query or fragment: safe to log whatever the URL's shape. */
    public String redacted() {
        return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/***";
    }

    /**
     * Removes from a text — a server's answer, an exception message — every part of the URL that could hold the
     * secret: the whole URL, its path and query (raw and decoded), and each path segment and query value long enough
     * to be a token, wherever they appear on their own. Longest first, so a part never survives inside another.
     */
    String scrub(String text) {
        if (text == null) {
            return "";
        }
        String scrubbed = text.replace(uri.toString(), redacted());
        for (String secret : secretParts) {
            scrubbed = scrubbed.replace(secret, "***");
        }
        return scrubbed;
    }

    private static List<String> secretParts(URI uri) {
        Set<String> parts = new HashSet<>();
        for (String whole : new String[] {uri.getRawPath(), uri.getPath(), uri.getRawQuery(), uri.getQuery(),
                uri.getRawFragment(), uri.getFragment(), uri.getRawUserInfo(), uri.getUserInfo()}) {
            if (whole == null || whole.isEmpty()) {
                continue;
            }
            parts.add(whole);
            for (String piece : whole.split("[/&=;]")) {
                if (piece.length() >= SHORTEST_SECRET) {
                    parts.add(piece);
                }
            }
        }
        parts.remove("/");
        List<String> longestFirst = new ArrayList<>(parts);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        return longestFirst;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlackWebhookUrl other && uri.equals(other.uri);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri);
    }

    @Override
    public String toString() {
        return redacted();
    }
}
