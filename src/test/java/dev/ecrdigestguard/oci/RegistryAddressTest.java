package dev.ecrdigestguard.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "127.0.0.1:5000,          http://127.0.0.1:5000,    127.0.0.1:5000",
        "localhost:5000,          http://localhost:5000,    localhost:5000",
        "ghcr.io,                 https://ghcr.io,          ghcr.io",
        "registry.example:8443/,  https://registry.example:8443, registry.example:8443",
        "http://10.0.0.5:5000,    http://10.0.0.5:5000,     10.0.0.5:5000",
        "https://ghcr.io/,        https://ghcr.io,          ghcr.io",
        "[::1]:5000,              http://[::1]:5000,        [::1]:5000",
    })
    void parse_acceptsHostPortAndUrls(String text, String endpoint, String host) {
        RegistryAddress address = RegistryAddress.parse(text);

        assertThat(address.endpoint()).hasToString(endpoint);
        assertThat(address.host()).isEqualTo(host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:5000/v2", "ftp://host", "https://user:pw@ghcr.io", "host name", "",
        "ghcr.io/owner/repo"})
    void parse_rejectsWhatIsNoRegistry_namingTheValue(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> RegistryAddress.parse(text))
                .withMessageContaining("registry");
    }
}
