package dev.ecrdigestguard.alert.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlackWebhookUrlTest {

    private static final String URL = "https://hooks.slack.com/services/T0AAAA/B0BBBB/s3cr3tT0k3n";

    @Test
    void fromSecret_plainUrl_isRedactedInToString() {
        SlackWebhookUrl webhook = SlackWebhookUrl.fromSecret(URL + "\n", "arn");

        assertThat(webhook.uri().toString()).isEqualTo(URL);
        assertThat(webhook.toString()).isEqualTo("hooks.slack.com/***");
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

    // ---- whatever the shape, nothing after the host (issue 12)

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "https://hooks.slack.com/services/T0AAAA/B0BBBB/s3cr3tT0k3n",
            "http://127.0.0.1:8080/SeCrEtToKeN42/x",
            "https://proxy.example.com/SeCrEtToKeN42",
            "https://hooks.slack.com/triggers/T0AAAA/123/SeCrEtToKeN42",
            "https://proxy.example.com/hook?token=SeCrEtToKeN42&channel=ops",
            "https://proxy.example.com/hook#SeCrEtToKeN42",
            "https://user:SeCrEtToKeN42@proxy.example.com/hook"})
    void redacted_showsTheHostOnly_whereverTheSecretSits(String url) {
        SlackWebhookUrl webhook = SlackWebhookUrl.fromSecret(url, "arn");

        assertThat(webhook.redacted()).isEqualTo(webhook.uri().getHost()
                + (webhook.uri().getPort() > 0 ? ":" + webhook.uri().getPort() : "") + "/***");
        assertThat(webhook.toString()).doesNotContain("SeCrEt", "s3cr3t", "token", "services");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "invalid_token for https://proxy.example.com/hook?token=SeCrEtToKeN42&channel=ops",
            "token=SeCrEtToKeN42 rejected",
            "unknown hook /hook?token=SeCrEtToKeN42&channel=ops",
            "SeCrEtToKeN42",
            "unknown path /SeCrEtToKeN42/x"})
    void scrub_removesEveryPartThatCouldHoldTheSecret_fromWhatAServerEchoes(String echoed) {
        SlackWebhookUrl inQuery = SlackWebhookUrl.fromSecret("https://proxy.example.com/hook?token=SeCrEtToKeN42"
                + "&channel=ops", "arn");
        SlackWebhookUrl inPath = SlackWebhookUrl.fromSecret("http://127.0.0.1:8080/SeCrEtToKeN42/x", "arn");

        assertThat(inQuery.scrub(echoed)).doesNotContain("SeCrEtToKeN42");
        assertThat(inPath.scrub(echoed)).doesNotContain("SeCrEtToKeN42");
    }

    @Test
    void scrub_keepsTheRestOfTheMessage() {
        SlackWebhookUrl webhook = SlackWebhookUrl.fromSecret(URL, "arn");

        assertThat(webhook.scrub("no_service: " + URL + " is gone")).isEqualTo("no_service: hooks.slack.com/*** is gone");
        assertThat(webhook.scrub("invalid_payload")).isEqualTo("invalid_payload");
    }
}
