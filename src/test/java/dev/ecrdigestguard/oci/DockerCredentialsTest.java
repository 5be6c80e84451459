package dev.ecrdigestguard.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker's config.json and a real credential helper program, as docker login leaves them. */
class DockerCredentialsTest {

    private static final RegistryAddress LOCAL = RegistryAddress.parse("127.0.0.1:5000");

    @TempDir
    Path dir;

    private DockerCredentials credentials(String config) throws IOException {
        Files.writeString(dir.resolve("config.json"), config);
        return DockerCredentials.of(Map.of("DOCKER_CONFIG", dir.toString(), "PATH", dir.resolve("bin").toString()));
    }

    /** A docker-credential-NAME program that answers like the real helpers: JSON for its server, else exit 1. */
    private void helper(String name, String server, String user, String secret) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path program = bin.resolve("docker-credential-" + name);
        Files.writeString(program, "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nread server\n"
                + "if [ \"$server\" = '" + server + "' ]; then\n"
                + "  printf '{\"ServerURL\":\"%s\",\"Username\":\"" + user + "\",\"Secret\":\"" + secret + "\"}' \"$server\"\n"
                + "else echo 'credentials not found in native keychain' >&2; exit 1; fi\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String auth(String pair) {
        return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void auths_givesTheUserAndPasswordDockerLoginStored() throws IOException {
        DockerCredentials docker = credentials("{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + auth("me:pa:ss")
                + "\"},\"ghcr.io\":{\"auth\":\"" + auth("other:x") + "\"}}}");

        assertThat(docker.forRegistry(LOCAL)).contains(RegistryCredentials.basic("me", "pa:ss"));
    }

    @Test
    void auths_matchesAnEntryWrittenAsAUrl() throws IOException {
        DockerCredentials docker = credentials("{\"auths\":{\"https://127.0.0.1:5000/v1/\":{\"auth\":\""
                + auth("me:pw") + "\"}}}");

        assertThat(docker.forRegistry(LOCAL)).contains(RegistryCredentials.basic("me", "pw"));
    }

    @Test
    void credHelpers_askTheRegistrysHelper_beforeAuths() throws IOException {
        helper("test", "127.0.0.1:5000", "robot", "from-helper");
        DockerCredentials docker = credentials("{\"credHelpers\":{\"127.0.0.1:5000\":\"test\"},\"auths\":{"
                + "\"127.0.0.1:5000\":{\"auth\":\"" + auth("stale:pw") + "\"}}}");

        assertThat(docker.forRegistry(LOCAL)).contains(RegistryCredentials.basic("robot", "from-helper"));
    }

    @Test
    void credsStore_isAskedWhenNothingElseNamesTheRegistry_andAnswersNothingForOthers() throws IOException {
        helper("store", "127.0.0.1:5000", "desk", "top");
        DockerCredentials docker = credentials("{\"credsStore\":\"store\"}");

        assertThat(docker.forRegistry(LOCAL)).contains(RegistryCredentials.basic("desk", "top"));
        assertThat(docker.forRegistry(RegistryAddress.parse("ghcr.io"))).isEmpty();
    }

    @Test
    void noConfig_meansAnonymous() {
        DockerCredentials docker = DockerCredentials.of(Map.of("DOCKER_CONFIG", dir.resolve("none").toString()));

        assertThat(docker.forRegistry(LOCAL)).isEmpty();
    }

    @Test
    void aHelperThatIsNotInstalled_isOneLineSayingWhatToDo() throws IOException {
        DockerCredentials docker = credentials("{\"credHelpers\":{\"127.0.0.1:5000\":\"ecr-login\"}}");

        assertThatIllegalArgumentException().isThrownBy(() -> docker.forRegistry(LOCAL))
                .withMessageContaining("docker-credential-ecr-login").withMessageContaining("not on the PATH");
    }
}
