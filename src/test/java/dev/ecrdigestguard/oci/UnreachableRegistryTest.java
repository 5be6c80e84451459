package dev.ecrdigestguard.oci;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.registry.RegistryException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnreachableRegistryTest {

    @Test
    void aRegistryNobodyAnswers_isNamedInTheFailure() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        OciRegistryClient client = OciRegistryClient.create(RegistryAddress.parse("127.0.0.1:" + port).endpoint(),
                RegistryCredentials.anonymous(), Duration.ofSeconds(2));

        assertThatThrownBy(() -> client.fetchManifest(RepositoryName.of("shop-api"), "tag-1"))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith("GET /v2/shop-api/manifests/tag-1 failed: cannot reach http://127.0.0.1:" + port
                        + " (ConnectException");
    }
}
