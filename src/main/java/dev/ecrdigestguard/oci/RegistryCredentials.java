package dev.ecrdigestguard.oci;

import dev.ecrdigestguard.text.Echo;
import java.util.Objects;

/**
 * How to authenticate to an OCI Distribution registry. With {@link Basic}, the user name and password answer a
 * {@code Basic} challenge directly and are sent to the token service of a {@code Bearer} challenge;
 * {@link Anonymous} still fetches anonymous bearer tokens, as public registries require.
 */
public sealed interface RegistryCredentials {

    static RegistryCredentials anonymous() {
        return new Anonymous();
    }

    static RegistryCredentials basic(String username, String password) {
        return new Basic(username, password);
    }

    record Anonymous() implements RegistryCredentials {
    }

    record Basic(String username, String password) implements RegistryCredentials {

        public Basic {
            if (username == null || username.isEmpty() || username.contains(":")) {
                throw new IllegalArgumentException("invalid registry user name '" + Echo.of(username)
                        + "': expected a non-empty name without ':'");
            }
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Basic[username=" + username + ", password=***]";
        }
    }
}
