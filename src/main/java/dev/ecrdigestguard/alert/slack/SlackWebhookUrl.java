package dev.ecrdigestguard.alert.slack;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Slack incoming-webhook URL. The URL <em>is</em> the credential (anyone holding it can post to the channel), so
 * {@link #toString()} and {@link #redacted()} show only {@code hooks.slack.com/services/T…/***}; {@link #uri()} is
 * for the HTTP request and nothing else.
 */
public final class SlackWebhookUrl {

    private static final JsonFactory JSON = new JsonFactory();

    private final URI uri;

    private SlackWebhookUrl(URI uri) {
        this.uri = uri;
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

    /** Host and the first path segment, then only the first character of the next: safe to log. */
    public String redacted() {
        String[] segments = uri.getRawPath().substring(1).split("/");
        StringBuilder text = new StringBuilder(uri.getHost());
        if (uri.getPort() > 0) {
            text.append(':').append(uri.getPort());
        }
        text.append('/').append(segments[0]);
        if (segments.length > 1 && !segments[1].isEmpty()) {
            text.append('/').append(segments[1].charAt(0)).append('…');
        }
        return text.append("/***").toString();
    }

    /** Replaces every occurrence of the URL (or its path) in a text, e.g. an exception message, by the redacted form. */
    String scrub(String text) {
        if (text == null) {
            return "";
        }
        return text.replace(uri.toString(), redacted()).replace(uri.getRawPath(), "/***");
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
