package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecrdigestguard.config.MemberRole;
import dev.ecrdigestguard.guard.AccountAccessException;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.guard.RepositoryLister;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@code audit} across accounts and regions, over fake registries: which registries are read, with which role, what
 * a refused account does to the run, and how the output names the account and region of each repository.
 */
class AuditAcrossAccountsTest {

    static final String OWN = "123456789012";
    static final String B = "111111111111";
    static final String C = "222222222222";
    static final Instant PUSHED = Instant.parse("2024-01-01T00:00:00Z");

    final FakeRegistries registries = new FakeRegistries();

    private AuditCommandTest.Run run(String... args) {
        AuditCommand audit = new AuditCommand(() -> {
            throw new AssertionError("a fan-out never uses the single registry");
        }, role -> {
            registries.role = role;
            return registries;
        });
        audit.environment = Map.of();
        return AuditCommandTest.run(audit, args);
    }

    /** One repository "app" per registry; a registry can share a release digest, an account can refuse the role. */
    static final class FakeRegistries implements AuditTargets.Registries {
        final Map<AccountRegion, List<ImageRecord>> images = new HashMap<>();
        final List<String> refusing = new ArrayList<>();
        final List<String> organization = new ArrayList<>();
        final List<AccountRegion> read = new ArrayList<>();
        Optional<MemberRole> role = Optional.empty();
        boolean closed;

        FakeRegistries app(AccountRegion where, boolean sharedDigest) {
            List<Tag> tags = sharedDigest ? List.of(Tag.of("tag-1"), Tag.of("tag-2")) : List.of(Tag.of("tag-1"));
            images.put(where, List.of(ImageRecord.of(Digest.of("sha256:" + "a".repeat(64)), tags, PUSHED)));
            return this;
        }

        @Override
        public String ownAccount() {
            return OWN;
        }

        @Override
        public String defaultRegion() {
            return "eu-west-1";
        }

        @Override
        public List<String> organizationAccounts() {
            return organization;
        }

        @Override
        public AuditCommand.LiveRegistry at(AccountRegion registry) {
            if (refusing.contains(registry.account())) {
                throw new AccountAccessException(registry, "arn:aws:iam::" + registry.account()
                        + ":role/guard-member", "sts:AssumeRole on role arn:aws:iam::" + registry.account()
                        + ":role/guard-member failed: AccessDenied (HTTP 403): not authorized", false, null);
            }
            read.add(registry);
            List<ImageRecord> found = images.getOrDefault(registry, List.of());
            return new AuditCommand.LiveRegistry() {
                @Override
                public RepositoryLister repositories() {
                    return consumer -> {
                        if (!found.isEmpty()) {
                            consumer.accept(RepositoryName.of("app"));
                        }
                    };
                }

                @Override
                public ImageCatalog catalog() {
                    return new ImageCatalog() {
                        @Override
                        public Optional<ImageRecord> describeImage(RepositoryName repository, Digest digest) {
                            throw new CatalogException("not used by audit", false, null);
                        }

                        @Override
                        public Optional<String> lifecyclePolicyText(RepositoryName repository) {
                            return Optional.empty();
                        }

                        @Override
                        public void forEachImage(RepositoryName repository, Consumer<ImageRecord> consumer) {
                            found.forEach(consumer);
                        }
                    };
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void audit_readsEveryAccountAndRegion_skipsTheAccountThatRefuses_andSaysWhereEachRepositoryIs() {
        // GIVEN B shares a release digest in us-east-1 only, and C refuses the role
        registries.app(AccountRegion.of(B, "eu-west-1"), false).app(AccountRegion.of(B, "us-east-1"), true);
        registries.refusing.add(C);

        // WHEN
        AuditCommandTest.Run run = run("--accounts", B + "," + C, "--regions", "eu-west-1,us-east-1", "--all-repositories",
                "--production-tags", "tag-*", "--role-name", "guard-member", "--now", "2024-01-02T00:00:00Z");

        // THEN B's two regions are audited, C is reported as skipped, and the shared digest is reported (without a
        // ledger nothing is judged out of turn, so the exit status stays 0)
        assertThat(registries.role).contains(new MemberRole("guard-member"));
        assertThat(registries.read).containsExactly(AccountRegion.of(B, "eu-west-1"), AccountRegion.of(B, "us-east-1"));
        assertThat(run.exitCode()).isEqualTo(Main.OK);
        assertThat(run.out()).containsSubsequence("account 111111111111, region eu-west-1", "app: 1 images",
                "account 111111111111, region us-east-1", "app: 1 images", "shared digest");
        assertThat(run.err()).contains("audit: skipped account 222222222222, region eu-west-1: sts:AssumeRole on "
                + "role arn:aws:iam::222222222222:role/guard-member failed: AccessDenied");
        assertThat(registries.closed).isTrue();
    }

    @Test
    void audit_json_namesEachRepositorysAccountAndRegion_andListsWhatWasSkipped() throws Exception {
        registries.app(AccountRegion.of(B, "us-east-1"), true);
        registries.refusing.add(C);

        AuditCommandTest.Run run = run("--accounts", B + "," + C, "--regions", "us-east-1", "--all-repositories", "--production-tags",
                "tag-*", "--role-name", "guard-member", "--format", "json");

        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.at("/repositories/0/account").asText()).isEqualTo(B);
        assertThat(json.at("/repositories/0/region").asText()).isEqualTo("us-east-1");
        assertThat(json.at("/repositories/0/repository").asText()).isEqualTo("app");
        assertThat(json.at("/skipped/0/account").asText()).isEqualTo(C);
        assertThat(json.at("/skipped/0/reason").asText()).contains("AccessDenied");
    }

    @Test
    void audit_organization_readsEveryAccountOfTheListing_yoursWithoutARole() {
        registries.organization.addAll(List.of(OWN, B));
        registries.app(AccountRegion.of(OWN, "eu-west-1"), false).app(AccountRegion.of(B, "eu-west-1"), false);

        AuditCommandTest.Run run = run("--organization", "--all-repositories", "--production-tags", "tag-*", "--role-name", "m");

        assertThat(run.exitCode()).isEqualTo(Main.OK);
        assertThat(registries.read).containsExactly(AccountRegion.of(OWN, "eu-west-1"),
                AccountRegion.of(B, "eu-west-1"));
    }

    @Test
    void audit_everyAccountSkipped_exitsWith3() {
        registries.refusing.addAll(List.of(B, C));

        AuditCommandTest.Run run = run("--accounts", B + "," + C, "--all-repositories", "--role-name", "guard-member");

        assertThat(run.exitCode()).isEqualTo(Main.AWS_FAILURE);
        assertThat(run.err()).contains("skipped account 111111111111", "skipped account 222222222222");
    }

    @Test
    void audit_anotherAccountWithoutARole_saysToPassOne() {
        AuditCommandTest.Run run = run("--accounts", B, "--all-repositories");

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("audit: account 111111111111 is not yours (123456789012): pass --role-name "
                + "(or set MEMBER_ROLE_NAME), the role to assume in each account");
        assertThat(registries.read).isEmpty();
    }

    @Test
    void audit_badAccountOrRegion_isRejected_beforeAnyRead() {
        assertThat(run("--accounts", "12345", "--all-repositories", "--role-name", "m").err())
                .contains("account '12345' is not a 12-digit AWS account ID");
        assertThat(run("--accounts", B, "--regions", "Ireland", "--all-repositories", "--role-name", "m").err())
                .contains("region 'Ireland' is not an AWS region code such as eu-west-1");
        assertThat(registries.read).isEmpty();
    }

    @Test
    void audit_fanOutOptions_needALiveSource() {
        AuditCommandTest.Run run = run("--snapshot", "events/snapshot", "--regions", "eu-west-1");

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("--accounts, --organization and --regions read ECR live; they don't combine "
                + "with --snapshot");
    }
}
