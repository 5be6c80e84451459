package dev.ecrdigestguard.app;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ecrdigestguard.aws.AccountCredentials;
import dev.ecrdigestguard.aws.AccountRegionClients;
import dev.ecrdigestguard.config.MemberRole;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.testing.LocalSts;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * A member account's client when the guard can't tell who it is itself: the real STS client against a local STS
 * (WireMock) whose {@code GetCallerIdentity} fails. The failure is the guard's own identity, said as such — not a
 * member role refused, with or without a role set.
 */
class MemberAccessTest {

    static final AwsCredentialsProvider EXPIRED =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("EXPIREDKEY", "expired-secret"));

    LocalSts sts;

    @BeforeEach
    void start() {
        sts = LocalSts.start(EXPIRED);
        sts.refuses("GetCallerIdentity", 403, "ExpiredToken", "The security token included in the request is expired");
    }

    @AfterEach
    void stop() {
        sts.close();
    }

    AccountRegionClients<SdkAutoCloseable> clients(Optional<MemberRole> role) {
        return new AccountRegionClients<>(new AccountCredentials(sts::client, Optional::empty, EXPIRED, role),
                (provider, region) -> () -> { });
    }

    @Test
    void client_whenTheGuardsOwnIdentityCannotBeRead_saysGetCallerIdentity_notAssumeRole() {
        for (Optional<MemberRole> role : java.util.List.of(Optional.<MemberRole>empty(),
                Optional.of(new MemberRole("ecr-digest-guard-member")))) {
            assertThatThrownBy(() -> MemberAccess.client(clients(role), AccountRegion.of("111111111111", "eu-west-1")))
                    .as("member role %s", role)
                    .isExactlyInstanceOf(CatalogException.class)
                    .hasMessageStartingWith("sts:GetCallerIdentity on the guard's own credentials failed: ExpiredToken "
                            + "(HTTP 403)")
                    .hasMessageContaining("needs no permission")
                    .hasMessageNotContaining("AssumeRole")
                    .satisfies(failed -> assertThat(((CatalogException) failed).retryable()).isFalse());
        }
        assertThat(sts.server().findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole"))))
                .isEmpty();
    }
}
