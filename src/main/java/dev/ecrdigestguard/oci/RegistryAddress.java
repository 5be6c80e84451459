package dev.ecrdigestguard.oci;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a registry is, as people write it: {@code host}, {@code host:port} (as in an image reference or
 * {@code docker login}) or a URL {@code http(s)://host[:port]}. Without a scheme it is HTTPS, except for a loopback
 * host, which is plain HTTP as Docker allows for {@code localhost} registries.
 *
 * @param endpoint the registry's base URL, {@code scheme://host[:port]}
 * @param host     {@code host[:port]} as written: the key Docker's config.json and credential helpers use
 */
public record RegistryAddress(URI endpoint, String host) {

    private static final Pattern HOST_PORT =
            Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)"
                    + "(:[0-9]{1,5})?");

    public RegistryAddress {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(host, "host");
    }

    /** Parses what a person passes to {@code --registry}. */
    public static RegistryAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty registry address: expected host[:port] or http(s)://host[:port]");
        }
        String trimmed = text.trim();
        if (trimmed.contains("://")) {
            return fromUrl(trimmed);
        }
        String hostPort = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        if (!HOST_PORT.matcher(hostPort).matches()) {
            throw new IllegalArgumentException("invalid registry '" + text + "': expected host[:port] (e.g."
                    + " 127.0.0.1:5000, ghcr.io) or http(s)://host[:port]");
        }
        String scheme = loopback(hostPort) ? "http" : "https";
        return new RegistryAddress(URI.create(scheme + "://" + hostPort), hostPort);
    }

    private static RegistryAddress fromUrl(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid registry URL '" + text + "': " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean noPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !noPath
                || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("invalid registry URL '" + text + "': expected http(s)://host[:port]"
                    + " without a path, query or user");
        }
        String host = uri.getRawAuthority();
        return new RegistryAddress(URI.create(scheme + "://" + host), host);
    }

    /** The host without its port, lower-cased, brackets of an IPv6 literal removed. */
    String hostName() {
        String name = host.startsWith("[") ? host.substring(1, host.indexOf(']'))
                : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        return name.toLowerCase(Locale.ROOT);
    }

    private static boolean loopback(String hostPort) {
        String name = new RegistryAddress(URI.create("http://x"), hostPort).hostName();
        return name.equals("localhost") || name.startsWith("127.") || name.equals("::1");
    }

    @Override
    public String toString() {
        return endpoint.toString();
    }
}
