package dev.ecrdigestguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GuardConfigRetagTest {

    static Map<String, String> environment(String... keyValues) {
        Map<String, String> environment = new HashMap<>();
        environment.put(GuardConfig.PRODUCTION_TAG_PATTERNS, "tag-*");
        for (int i = 0; i < keyValues.length; i += 2) {
            environment.put(keyValues[i], keyValues[i + 1]);
        }
        return environment;
    }

    @Test
    void from_readsRetagMode() {
        GuardConfig config = GuardConfig.from(environment(GuardConfig.MODE, "retag"));

        assertThat(config.mode()).isEqualTo(GuardConfig.Mode.RETAG);
    }

    @Test
    void from_neverRetagsSignedImages_unlessAskedTo() {
        assertThat(GuardConfig.from(environment()).retagSignedImages()).isFalse();
        assertThat(GuardConfig.from(environment()).mode()).isEqualTo(GuardConfig.Mode.ALERT);
    }

    @ParameterizedTest
    @CsvSource({"true,true", "TRUE,true", " false ,false", "False,false"})
    void from_readsRetagSignedImages(String value, boolean expected) {
        assertThat(GuardConfig.from(environment(GuardConfig.RETAG_SIGNED_IMAGES, value)).retagSignedImages())
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"yes", "1", "on"})
    void from_rejectsAnythingButTrueOrFalse_namingTheVariable(String value) {
        assertThatThrownBy(() -> GuardConfig.from(environment(GuardConfig.RETAG_SIGNED_IMAGES, value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("RETAG_SIGNED_IMAGES is '" + value + "'");
    }
}
