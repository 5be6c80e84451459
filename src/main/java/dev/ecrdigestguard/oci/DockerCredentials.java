package dev.ecrdigestguard.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The credentials {@code docker login} left for a registry, read the way docker, crane, skopeo and regctl read them:
 * {@code $DOCKER_CONFIG/config.json} (default {@code ~/.docker/config.json}); a registry's entry in
 * {@code credHelpers}, else its entry in {@code auths} ({@code auth}: base64 of user:password), else the
 * {@code credsStore} helper. A helper is the program {@code docker-credential-<name>} on the PATH, asked with
 * {@code get} and the server on its standard input (the docker-credential-helpers protocol); it answers
 * {@code {"Username":…,"Secret":…}}, or fails when it holds nothing for the server.
 *
 * <p>An entry names the registry as {@code host[:port]} or as a URL ({@code https://host:port/v1/}); both match.
 */
public final class DockerCredentials {

    /** A helper that hangs (waiting for a desktop unlock prompt, say) must not hang the command. */
    private static final long HELPER_TIMEOUT_SECONDS = 30;

    private final Path configFile;
    private final Map<String, String> environment;

    private DockerCredentials(Path configFile, Map<String, String> environment) {
        this.configFile = configFile;
        this.environment = environment;
    }

    /** The config of this environment: {@code DOCKER_CONFIG}, else {@code ~/.docker}. */
    public static DockerCredentials of(Map<String, String> environment) {
        String dir = environment.get("DOCKER_CONFIG");
        Path base = dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".docker");
        return new DockerCredentials(base.resolve("config.json"), environment);
    }

    /** The stored credentials for {@code registry}; empty when docker has none (anonymous access). */
    public Optional<RegistryCredentials> forRegistry(RegistryAddress registry) {
        if (!Files.isRegularFile(configFile)) {
            return Optional.empty();
        }
        JsonNode config;
        try {
            config = Json.mapper().readTree(configFile.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read Docker config " + configFile + ": " + e.getMessage(), e);
        }
        Optional<String> helper = entry(config.path("credHelpers"), registry).map(JsonNode::asText);
        if (helper.isPresent()) {
            return fromHelper(helper.get(), registry);
        }
        Optional<JsonNode> auth = entry(config.path("auths"), registry);
        if (auth.isPresent() && auth.get().hasNonNull("auth")) {
            return Optional.of(decode(auth.get().get("auth").asText(), registry));
        }
        if (config.hasNonNull("credsStore")) {
            return fromHelper(config.get("credsStore").asText(), registry);
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> entry(JsonNode entries, RegistryAddress registry) {
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (sameRegistry(entry.getKey(), registry)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** {@code host:port}, {@code https://host:port} and {@code https://host:port/v1/} all name one registry. */
    static boolean sameRegistry(String key, RegistryAddress registry) {
        String host = key.replaceFirst("^[a-zA-Z]+://", "");
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return host.equalsIgnoreCase(registry.host());
    }

    private static RegistryCredentials decode(String auth, RegistryAddress registry) {
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Docker config's auth for " + registry.host() + " is not base64;"
                    + " run docker login " + registry.host() + " again", e);
        }
        int colon = pair.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("the Docker config's auth for " + registry.host() + " is not"
                    + " user:password; run docker login " + registry.host() + " again");
        }
        return RegistryCredentials.basic(pair.substring(0, colon), pair.substring(colon + 1));
    }

    private Optional<RegistryCredentials> fromHelper(String name, RegistryAddress registry) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("Docker credential helper '" + name + "' in " + configFile
                    + " is not a helper name");
        }
        String program = "docker-credential-" + name;
        Optional<Path> executable = onPath(program);
        if (executable.isEmpty()) {
            throw new IllegalArgumentException(configFile + " names the credential helper " + program + " for "
                    + registry.host() + ", which is not on the PATH: install it, or pass --registry-user");
        }
        try {
            Process process = new ProcessBuilder(executable.get().toString(), "get")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(registry.host().getBytes(StandardCharsets.UTF_8));
            }
            // The answer is a few hundred bytes, well within the pipe's buffer: wait first, so a hung helper times out.
            if (!process.waitFor(HELPER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalArgumentException(program + " did not answer within " + HELPER_TIMEOUT_SECONDS + " s");
            }
            byte[] answer;
            try (InputStream out = process.getInputStream()) {
                answer = out.readAllBytes();
            }
            if (process.exitValue() != 0) {
                // The protocol's "credentials not found": the helper holds nothing for this registry.
                return Optional.empty();
            }
            JsonNode json = Json.mapper().readTree(answer);
            String user = json.path("Username").asText("");
            String secret = json.path("Secret").asText("");
            if (user.equals("<token>")) {
                throw new IllegalArgumentException(program + " holds an identity token for " + registry.host()
                        + ", which retag can't use: pass --registry-user and --password-stdin");
            }
            return user.isEmpty() ? Optional.empty() : Optional.of(RegistryCredentials.basic(user, secret));
        } catch (IOException e) {
            throw new IllegalArgumentException("credential helper " + program + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + program, e);
        }
    }

    private Optional<Path> onPath(String program) {
        String path = environment.getOrDefault("PATH", "");
        for (String dir : List.of(path.split(java.io.File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
