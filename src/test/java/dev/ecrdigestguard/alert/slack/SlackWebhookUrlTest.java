package dev.ecrdigestguard.alert.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SlackWebhookUrlTest {

    private static final String URL = "https://hooks.slack.com/services/T0AAAA/B0BBBB/s3cr3tT0k3n";

    @Test
    void fromSecret_plainUrl_isRedactedInToString() {
        SlackWebhookUrl webhook = SlackWebhookUrl.fromSecret(URL + "\n", "arn");

        assertThat(webhook.uri().toString()).isEqualTo(URL);
        assertThat(webhook.toString()).isEqualTo("hooks.slack.com/services/T…/***");
        assertThat(webhook.redacted()).doesNotContain("s3cr3t", "B0BBBB");
    }

    @Test
    void fromSecret_jsonKeyValueSecret_readsWebhookUrl() {
        assertThat(SlackWebhookUrl.fromSecret("{\"webhookUrl\":\"" + URL + "\"}", "arn").uri().toString())
                .isEqualTo(URL);
    }

    @Test
    void fromSecret_plainHttpToARealHost_isRefused_withoutTheValue() {
        assertThatThrownBy(() -> SlackWebhookUrl.fromSecret("http://hooks.slack.com/services/T/B/s3cr3t", "arn:1"))
                .hasMessageContaining("arn:1")
                .hasMessageContaining("https://")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void fromSecret_jsonWithoutWebhookUrl_isRefused() {
        assertThatThrownBy(() -> SlackWebhookUrl.fromSecret("{\"token\":\"s3cr3t\"}", "arn:1"))
                .hasMessageContaining("webhookUrl")
                .hasMessageNotContaining("s3cr3t");
    }
}
