package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecrdigestguard.guard.CatalogException;
import dev.ecrdigestguard.guard.ImageCatalog;
import dev.ecrdigestguard.guard.RepositoryLister;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditCommandTest {

    private static final String STORY_POLICY = """
            {"rules":[{"action":{"type":"expire"},"selection":{"countType":"imageCountMoreThan","countNumber":5,
              "tagStatus":"tagged","tagPrefixList":["tag"]},"description":"Keep last 5 production images",
              "rulePriority":1},{"rulePriority":5,"description":"Expire images older than 14 days","selection":{
              "tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":14},
              "action":{"type":"expire"}}]}
            """;

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    /** Runs the command as picocli does, capturing what it prints. */
    static Run run(AuditCommand audit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(audit);
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String hex(int n) {
        return String.format("%064x", n);
    }

    /** The story's repository: tag-1-253-0 on the digest of tag-1-252-0, five releases pushed after it. */
    private static String storyImages() {
        StringBuilder json = new StringBuilder("{\"imageDetails\":[{\"repositoryName\":\"shop/web\",\"imageDigest\":"
                + "\"sha256:" + hex(1) + "\",\"imageTags\":[\"git-325dc21f\",\"tag-1-252-0\",\"tag-1-253-0\"],"
                + "\"imagePushedAt\":\"2022-12-15T10:57:20.000000+01:00\"}");
        for (int i = 0; i < 5; i++) {
            json.append(",{\"repositoryName\":\"shop/web\",\"imageDigest\":\"sha256:").append(hex(10 + i))
                    .append("\",\"imageTags\":[\"tag-1-24").append(i).append("-0\"],\"imagePushedAt\":")
                    .append(1671200000 + i * 3600).append(".0}");
        }
        return json.append("]}").toString();
    }

    /** The ledger as `check --ledger` leaves it after the story's push: tag-1-253-0 released on 2022-12-22. */
    private Path storyLedger() throws Exception {
        return Files.writeString(dir.resolve("ledger.json"), """
                {"version":1,"releases":[{"account":"","region":"","repository":"shop/web","tag":"tag-1-253-0",
                  "digest":"sha256:%s","firstSeen":"2022-12-22T09:41:12Z"}]}""".formatted(hex(1)));
    }

    @Test
    void audit_findsTheReleaseExpiringOutOfTurn_fromASnapshotAndItsLedger() throws Exception {
        // GIVEN the story's repository, and the ledger that knows when tag-1-253-0 was released
        Files.writeString(dir.resolve("describe-images.json"), storyImages());
        Files.writeString(dir.resolve("lifecycle-policy.json"), STORY_POLICY);
        Path snapshot = Files.createDirectories(dir.resolve("shop-web"));
        Files.move(dir.resolve("describe-images.json"), snapshot.resolve("describe-images.json"));
        Files.move(dir.resolve("lifecycle-policy.json"), snapshot.resolve("lifecycle-policy.json"));

        // WHEN
        Run run = run(new AuditCommand(), "--snapshot", snapshot.toString(), "--production-tags", "tag-*",
                "--ledger", storyLedger().toString(), "--format", "json", "--now", "2022-12-23T12:00:00Z");

        // THEN the one release at risk is a top-level finding with the times used, and the exit status says so
        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode root = new ObjectMapper().readTree(run.out());
        assertThat(root.get("findings")).singleElement().satisfies(finding -> {
            assertThat(finding.get("kind").asText()).isEqualTo("LIFECYCLE_EXPIRY");
            assertThat(finding.get("tag").asText()).isEqualTo("tag-1-253-0");
            assertThat(finding.get("productionTags").toString()).isEqualTo("[\"tag-1-253-0\",\"tag-1-252-0\"]");
            assertThat(finding.get("imageDigest").asText()).isEqualTo("sha256:" + hex(1));
            assertThat(finding.get("rulePriority").asInt()).isEqualTo(1);
            assertThat(finding.get("severity").asText()).isEqualTo("CRITICAL");
            assertThat(finding.get("imagePushedAt").asText()).isEqualTo("2022-12-15T09:57:20Z");
            assertThat(finding.get("releasedAt").asText()).isEqualTo("2022-12-22T09:41:12Z");
            assertThat(finding.get("releaseTimeSource").asText()).isEqualTo("LEDGER");
        });
        JsonNode repository = root.get("repositories").get(0);
        assertThat(repository.get("repository").asText()).isEqualTo("shop/web");
        assertThat(repository.get("policy").get("status").asText()).isEqualTo("VALID");
        assertThat(repository.get("sharedDigests")).singleElement().satisfies(shared -> {
            assertThat(shared.get("imageDigest").asText()).isEqualTo("sha256:" + hex(1));
            assertThat(shared.get("rank").asInt()).isEqualTo(6);
        });
        assertThat(repository.get("outOfTurn")).hasSize(1);
        assertThat(repository.get("rotation")).isEmpty();
        assertThat(repository.get("outranked")).singleElement()
                .satisfies(outranked -> assertThat(outranked.get("productionImagesAbove").asInt()).isEqualTo(5));
        assertThat(repository.get("releaseTimesNotRecorded").asInt()).isEqualTo(6);
        assertThat(repository.get("atRisk").asBoolean()).isTrue();
    }

    @Test
    void audit_withoutALedger_judgesByPushTimes_callsTheExpiryRotation_andExits0() throws Exception {
        // GIVEN the same repository with nothing recorded: both releases on the old digest look as old as it
        Files.writeString(dir.resolve("describe-images.json"), storyImages());
        Files.writeString(dir.resolve("lifecycle-policy.json"), STORY_POLICY);

        // WHEN
        Run run = run(new AuditCommand(), "--snapshot", dir.toString(), "--production-tags", "tag-*", "--now",
                "2022-12-23T12:00:00Z");

        // THEN nothing is claimed at risk, and the output says why it can't tell
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).doesNotContain("AT RISK")
                .contains("6 production images (7 releases): 0 at risk, 1 rotating out as intended")
                .contains("7 release times not recorded (not in the ledger): judged by the digest's push time")
                .contains("rotation: [tag-1-253-0, tag-1-252-0] sha256:000000000000 is deleted within 24 hours");
    }

    @Test
    void audit_text_listsTheReleasesAtRiskFirst_oneLineEach() throws Exception {
        Files.writeString(dir.resolve("describe-images.json"), storyImages());
        Files.writeString(dir.resolve("lifecycle-policy.json"), STORY_POLICY);

        Run run = run(new AuditCommand(), "--snapshot", dir.toString(), "--production-tags", "tag-*",
                "--ledger", storyLedger().toString(), "--now", "2022-12-23T12:00:00Z");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out().lines().findFirst()).hasValue("AT RISK  tag-1-253-0 in shop/web will be deleted by"
                + " lifecycle rule 1 within 24 hours (sha256:000000000000; released 2022-12-22T09:41:12Z)");
    }

    @Test
    void audit_readsADirectoryOfSnapshots_andNamesRepositoriesByFolder() throws Exception {
        // GIVEN one healthy repository whose entries don't name it
        Path healthy = Files.createDirectories(dir.resolve("healthy"));
        Files.writeString(healthy.resolve("describe-images.json"), "{\"imageDetails\":[{\"imageDigest\":\"sha256:"
                + hex(2) + "\",\"imageTags\":[\"tag-2-0-0\"],\"imagePushedAt\":1671200000}]}");

        // WHEN
        Run run = run(new AuditCommand(), "--snapshot", dir.toString(), "--production-tags", "tag-*");

        // THEN
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("healthy: 1 images, policy none").contains("verdict: ok");
    }

    @Test
    void audit_reportsARejectedPolicy_andJudgesNothingByIt() throws Exception {
        Files.writeString(dir.resolve("describe-images.json"), storyImages());
        Files.writeString(dir.resolve("lifecycle-policy.json"), STORY_POLICY.replace("\"countNumber\":5", "\"countNumber\":0"));

        Run run = run(new AuditCommand(), "--snapshot", dir.toString(), "--production-tags", "tag-*",
                "--ledger", storyLedger().toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("policy rejected (rule 1: selection.countNumber must be a positive integer")
                .contains(": 0 at risk");
    }

    @Test
    void audit_pagesThroughEveryRepository_inLiveMode_andUsesThePolicyCountRulesAsReleases() {
        // GIVEN a fake registry with two repositories, one of them with a shared release digest
        Instant pushed = Instant.parse("2024-01-01T00:00:00Z");
        Map<String, List<ImageRecord>> images = Map.of(
                "app", List.of(ImageRecord.of(Digest.of("sha256:" + hex(3)), List.of(Tag.of("tag-1"), Tag.of("tag-2")),
                        pushed)),
                "lib", List.of(ImageRecord.of(Digest.of("sha256:" + hex(4)), List.of(Tag.of("tag-9")), pushed)));
        FakeRegistry registry = new FakeRegistry(images, Map.of("app", STORY_POLICY));

        // WHEN
        Run run = run(new AuditCommand(() -> registry), "--all-repositories", "--now", "2024-01-02T00:00:00Z");

        // THEN the shared digest is reported; with no ledger nothing is judged out of turn
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("app: 1 images, policy valid (2 rules)")
                .contains("shared digest sha256:000000000000 holds [tag-2, tag-1]")
                .contains("lib: 1 images, policy none");
        assertThat(run.err()).isEmpty();
        assertThat(registry.closed).isTrue();
    }

    @Test
    void audit_exitsWith3_andNamesTheRepository_thatCouldNotBeRead() {
        FakeRegistry registry = new FakeRegistry(Map.of(), Map.of());

        Run run = run(new AuditCommand(() -> registry), "--repository", "gone");

        assertThat(run.exitCode()).isEqualTo(Main.AWS_FAILURE);
        assertThat(run.err()).contains("audit: gone: repository gone does not exist");
    }

    @Test
    void audit_refusesTwoSourcesAtOnce() {
        Run run = run(new AuditCommand(), "--snapshot", dir.toString(), "--all-repositories");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("mutually exclusive");
    }

    // --- reading repositories concurrently (guard.RepositoryScan, issue 13) -----------------------------------

    @Test
    void audit_auditsTheOtherRepositories_whenOneCannotBeRead_andExitsWith3() {
        // GIVEN one readable repository, and one the registry doesn't have
        Instant pushed = Instant.parse("2024-01-01T00:00:00Z");
        FakeRegistry registry = new FakeRegistry(Map.of("app", List.of(ImageRecord.of(Digest.of("sha256:" + hex(5)),
                List.of(Tag.of("tag-1")), pushed))), Map.of());

        // WHEN
        Run run = run(new AuditCommand(() -> registry), "--repository", "gone", "app", "--concurrency", "2");

        // THEN
        assertThat(run.exitCode()).isEqualTo(Main.AWS_FAILURE);
        assertThat(run.out()).contains("app: 1 images, policy none").contains("verdict: ok");
        assertThat(run.err()).isEqualTo("audit: gone: repository gone does not exist" + System.lineSeparator());
    }

    @Test
    void audit_listsRepositoriesInNameOrder_inJson_whateverOrderTheyFinishIn() throws Exception {
        Instant pushed = Instant.parse("2024-01-01T00:00:00Z");
        FakeRegistry registry = new FakeRegistry(Map.of(
                "web", List.of(ImageRecord.of(Digest.of("sha256:" + hex(6)), List.of(Tag.of("tag-1")), pushed)),
                "api", List.of(ImageRecord.of(Digest.of("sha256:" + hex(7)), List.of(Tag.of("tag-2")), pushed)),
                "lib", List.of(ImageRecord.of(Digest.of("sha256:" + hex(8)), List.of(Tag.of("tag-3")), pushed))),
                Map.of());

        Run run = run(new AuditCommand(() -> registry), "--repository", "web", "lib", "api", "--format", "json",
                "--production-tags", "tag-*");

        JsonNode repositories = new ObjectMapper().readTree(run.out()).get("repositories");
        assertThat(repositories).extracting(repository -> repository.get("repository").asText())
                .containsExactly("api", "lib", "web");
    }

    @Test
    void audit_retriesARepositoryECRThrottled_andSaysSoOnStderr() {
        // GIVEN a repository whose first read is throttled beyond the SDK's retries
        Instant pushed = Instant.parse("2024-01-01T00:00:00Z");
        FakeRegistry registry = new FakeRegistry(Map.of("app", List.of(ImageRecord.of(Digest.of("sha256:" + hex(9)),
                List.of(Tag.of("tag-1")), pushed))), Map.of());
        registry.throttledOnce.add("app");

        // WHEN
        Run run = run(new AuditCommand(() -> registry), "--repository", "app", "--production-tags", "tag-*");

        // THEN it was audited on the second attempt, and stderr says the audit slowed down
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("app: 1 images, policy none");
        assertThat(run.err()).isEqualTo("audit: ECR throttled or failed some reads: 1 retried, down to 4 repositories"
                + " at a time" + System.lineSeparator());
    }

    @Test
    void audit_rejectsAConcurrencyOutOfRange_inOneLine() {
        Run run = run(new AuditCommand(() -> {
            throw new AssertionError("no registry is opened for bad input");
        }), "--all-repositories", "--concurrency", "0");

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).isEqualTo("audit: --concurrency: concurrency must be between 1 and 64 repositories at a"
                + " time: 0" + System.lineSeparator());
    }

    // --- end of reading repositories concurrently --------------------------------------------------------------

    private static final class FakeRegistry implements AuditCommand.LiveRegistry, ImageCatalog, RepositoryLister {
        private final Map<String, List<ImageRecord>> images;
        private final Map<String, String> policies;
        final Set<String> throttledOnce = ConcurrentHashMap.newKeySet();
        boolean closed;

        FakeRegistry(Map<String, List<ImageRecord>> images, Map<String, String> policies) {
            this.images = images;
            this.policies = policies;
        }

        @Override
        public RepositoryLister repositories() {
            return this;
        }

        @Override
        public ImageCatalog catalog() {
            return this;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void forEachRepository(Consumer<RepositoryName> consumer) {
            images.keySet().stream().sorted().map(RepositoryName::of).forEach(consumer);
        }

        @Override
        public Optional<ImageRecord> describeImage(RepositoryName repository, Digest digest) {
            return images.getOrDefault(repository.value(), List.of()).stream()
                    .filter(image -> image.digest().equals(digest)).findFirst();
        }

        @Override
        public Optional<String> lifecyclePolicyText(RepositoryName repository) {
            return Optional.ofNullable(policies.get(repository.value()));
        }

        @Override
        public void forEachImage(RepositoryName repository, Consumer<ImageRecord> consumer) {
            if (throttledOnce.remove(repository.value())) {
                throw new CatalogException("ecr:DescribeImages on repository '" + repository + "' failed: "
                        + "ThrottlingException (HTTP 400): Rate exceeded", true, null);
            }
            List<ImageRecord> found = images.get(repository.value());
            if (found == null) {
                throw new CatalogException("repository " + repository + " does not exist", false, null);
            }
            found.forEach(consumer);
        }
    }
}
