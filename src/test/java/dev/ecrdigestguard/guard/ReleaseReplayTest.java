package dev.ecrdigestguard.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.alert.AlertFanOut;
import dev.ecrdigestguard.alert.Notifier;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.event.EventReading;
import dev.ecrdigestguard.event.PushEvent;
import dev.ecrdigestguard.finding.Finding;
import dev.ecrdigestguard.finding.GuardReport;
import dev.ecrdigestguard.finding.LifecycleExpiryFinding;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.Manifest;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.lifecycle.ImageDecision;
import dev.ecrdigestguard.lifecycle.LifecycleEngine;
import dev.ecrdigestguard.lifecycle.LifecyclePolicy;
import dev.ecrdigestguard.lifecycle.LifecyclePolicyParser;
import dev.ecrdigestguard.lifecycle.Release;
import dev.ecrdigestguard.lifecycle.ReleaseSafety;
import dev.ecrdigestguard.lifecycle.ReleaseStanding;
import dev.ecrdigestguard.manifest.MediaTypes;
import dev.ecrdigestguard.metrics.GuardMetrics;
import dev.ecrdigestguard.registry.ImageRegistry;
import dev.ecrdigestguard.retag.ManifestRewriting;
import dev.ecrdigestguard.retag.Retagger;
import dev.ecrdigestguard.testing.CapturedLog;
import dev.ecrdigestguard.testing.InMemoryLedger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Weeks of a team's life replayed against the guard: builds several times a day, half of them reproducible (the same
 * content gives the same digest, so a build lands on an old image), a release every other day or so on the latest
 * build, ECR's lifecycle run once a day (simulated by the project's own engine), the guard on every push and its sweep
 * every six hours. The ground truth of "deleted out of turn" is the release-safety definition with the true release
 * times, at the moment of each deletion.
 *
 * <p>The promise: every release deleted out of turn was named by a CRITICAL finding before its deletion; with
 * MODE=RETAG no release is deleted out of turn; and at most one expiry finding in ten concerns ordinary rotation.
 */
class ReleaseReplayTest {

    static final String WRITE_UP_POLICY = """
            {"rules":[{"rulePriority":1,"description":"Keep last 5 production images","selection":{
              "tagStatus":"tagged","tagPrefixList":["tag"],"countType":"imageCountMoreThan","countNumber":5},
              "action":{"type":"expire"}},
             {"rulePriority":5,"description":"Expire images older than 14 days","selection":{"tagStatus":"any",
              "countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}""";
    static final String AGE_POLICY = """
            {"rules":[{"rulePriority":1,"description":"Keep production images 21 days","selection":{
              "tagStatus":"tagged","tagPatternList":["tag-*"],"countType":"sinceImagePushed","countUnit":"days",
              "countNumber":21},"action":{"type":"expire"}},
             {"rulePriority":2,"description":"Expire other images after 30 days","selection":{"tagStatus":"any",
              "countType":"sinceImagePushed","countUnit":"days","countNumber":30},"action":{"type":"expire"}}]}""";
    static final ProductionTags PRODUCTION = ProductionTags.parse("tag-*");
    static final RepositoryName REPOSITORY = RepositoryName.of("shop-api");
    static final RepositoryLocation LOCATION = new RepositoryLocation("123456789012", "eu-west-1", REPOSITORY);
    static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    static final int DAYS = 75;

    private CapturedLog log;

    @BeforeEach
    void quiet() {
        log = new CapturedLog();
    }

    @AfterEach
    void release() {
        log.close();
    }

    static Stream<Arguments> policiesAndSeeds() {
        return Stream.of(Arguments.of("write-up policy", WRITE_UP_POLICY, 7L),
                Arguments.of("write-up policy", WRITE_UP_POLICY, 11L),
                Arguments.of("age policy", AGE_POLICY, 7L),
                Arguments.of("age policy", AGE_POLICY, 11L));
    }

    @ParameterizedTest(name = "{0}, seed {2}")
    @MethodSource("policiesAndSeeds")
    void alertMode_namesEveryReleaseDeletedOutOfTurn_beforeItsDeletion(String name, String policy, long seed) {
        Replay replay = new Replay(policy, seed, GuardConfig.Mode.ALERT).run();

        assertThat(replay.outOfTurnDeletions).as("%s: the replay must lose releases out of turn to prove anything",
                name).isNotEmpty();
        for (Deletion deletion : replay.outOfTurnDeletions) {
            assertThat(replay.namedBefore(deletion)).as("%s: %s deleted out of turn at %s without a CRITICAL finding"
                    + " before", name, deletion.newestRelease, deletion.at).isTrue();
        }
        assertThat(replay.rotationShareOfExpiryFindings()).as("%s: expiry findings about ordinary rotation", name)
                .isLessThanOrEqualTo(0.1);
        System.out.printf("replay %s seed %d ALERT: %d releases, %d deleted out of turn (all named before), %d deleted"
                        + " in rotation, %d expiry findings (%d distinct releases), rotation share %.2f%n", name, seed,
                replay.releases, replay.outOfTurnDeletions.size(), replay.rotationDeletions,
                replay.expiryFindings.size(), replay.distinctExpiryFindings(), replay.rotationShareOfExpiryFindings());
    }

    @ParameterizedTest(name = "{0}, seed {2}")
    @MethodSource("policiesAndSeeds")
    void retagMode_losesNoReleaseOutOfTurn(String name, String policy, long seed) {
        Replay alert = new Replay(policy, seed, GuardConfig.Mode.ALERT).run();
        Replay retag = new Replay(policy, seed, GuardConfig.Mode.RETAG).run();

        assertThat(alert.outOfTurnDeletions).isNotEmpty();
        assertThat(retag.outOfTurnDeletions).as("%s: releases deleted out of turn in RETAG mode", name).isEmpty();
        assertThat(retag.rescues).isPositive();
        System.out.printf("replay %s seed %d RETAG: %d releases, 0 deleted out of turn (ALERT mode: %d), %d re-tags,"
                        + " %d deleted in rotation%n", name, seed, retag.releases, alert.outOfTurnDeletions.size(),
                retag.rescues, retag.rotationDeletions);
    }

    /** A release deleted by the lifecycle run: its image, the newest release on it, and when. */
    record Deletion(Digest digest, Tag newestRelease, Instant at) {
    }

    /** A finding as the guard sent it, with the time it was sent. */
    record Sent(Instant at, LifecycleExpiryFinding finding) {
    }

    /** One team's 75 days with the guard in one mode. */
    static final class Replay implements Notifier {

        final SimulatedEcr ecr;
        final LifecyclePolicy policy;
        final Random random;
        final Guard guard;
        final RepositorySweep sweep;
        final List<Deletion> outOfTurnDeletions = new ArrayList<>();
        final List<Sent> expiryFindings = new ArrayList<>();
        int rotationDeletions;
        int releases;
        int rescues;
        int rotationFindings;

        Replay(String policyText, long seed, GuardConfig.Mode mode) {
            this.ecr = new SimulatedEcr(policyText);
            this.policy = LifecyclePolicyParser.parse(policyText);
            this.random = new Random(seed);
            InMemoryLedger ledger = new InMemoryLedger();
            Optional<Retagger> retagger = mode == GuardConfig.Mode.RETAG
                    ? Optional.of(new Retagger(ecr, ManifestRewriting.standard(), PRODUCTION, false))
                    : Optional.empty();
            GuardConfig config = new GuardConfig(PRODUCTION, Optional.empty(), mode, GuardConfig.LogLevel.ERROR);
            this.guard = new Guard(config, () -> new GuardPorts(ecr, new AlertFanOut(List.of(this)), retagger, ledger));
            this.sweep = new RepositorySweep(PRODUCTION, ecr, ledger, retagger);
        }

        @Override
        public String channel() {
            return "replay";
        }

        @Override
        public void send(GuardReport report) {
            heard(report.findings());
        }

        private void heard(List<Finding> findings) {
            for (Finding finding : findings) {
                if (finding instanceof LifecycleExpiryFinding expiry) {
                    expiryFindings.add(new Sent(ecr.now, expiry));
                    if (ecr.verdictNow(expiry.imageDigest()) == ReleaseStanding.Verdict.ROTATION) {
                        rotationFindings++;
                    }
                } else if (finding.kind() == Finding.Kind.RETAGGED) {
                    rescues++;
                }
            }
        }

        /**
         * Each day: builds of the main line (most change nothing, so they reproduce the image already there), now and
         * then a release of the main line's latest build, and hot-fix releases built on a branch of their own — the
         * write-up's story: hot fixes pushed between two releases of an unchanged main line.
         */
        Replay run() {
            Manifest latestMain = null;
            int content = 0;
            int build = 0;
            for (int day = 0; day < DAYS; day++) {
                Instant midnight = START.plus(Duration.ofDays(day));
                Map<Instant, Runnable> schedule = new TreeMap<>();
                for (int hour = 0; hour < 24; hour += 6) {
                    schedule.put(midnight.plus(Duration.ofHours(hour)).plusSeconds(1), this::sweep);
                }
                schedule.put(midnight.plus(Duration.ofHours(3)), this::lifecycleRun);
                int builds = random.nextInt(4);
                for (int i = 0; i < builds; i++) {
                    if (latestMain == null || random.nextInt(10) < 3) {
                        content++;
                    }
                    Manifest image = image(content);
                    String tag = "git-" + (++build);
                    latestMain = image;
                    schedule.put(midnight.plus(Duration.ofHours(9 + 2L * i)).plusSeconds(random.nextInt(3600)),
                            () -> push(tag, image));
                }
                if (random.nextInt(20) < 7) {
                    Manifest hotfix = image(1_000_000 + (++content));
                    String tag = "tag-1-" + (++releases) + "-0";
                    schedule.put(midnight.plus(Duration.ofHours(15)).plusSeconds(random.nextInt(3600)),
                            () -> push(tag, hotfix));
                }
                if (latestMain != null && random.nextInt(10) < 3) {
                    Manifest released = latestMain;
                    String tag = "tag-1-" + (++releases) + "-0";
                    schedule.put(midnight.plus(Duration.ofHours(17)).plusSeconds(random.nextInt(3600)),
                            () -> push(tag, released));
                }
                for (Map.Entry<Instant, Runnable> step : schedule.entrySet()) {
                    ecr.now = step.getKey();
                    step.getValue().run();
                }
            }
            return this;
        }

        private void push(String tag, Manifest image) {
            ecr.push(Tag.of(tag), image);
            drainEvents();
        }

        /** Every push raises an event; the guard's own re-tags raise more, handled the same way. */
        private void drainEvents() {
            while (!ecr.events.isEmpty()) {
                PushEvent event = ecr.events.remove(0);
                guard.respond(new EventReading.Push(event), new GuardMetrics(), Instant.MAX);
            }
        }

        private void sweep() {
            heard(sweep.sweep(LOCATION, ecr.now, Duration.ofHours(24), Instant.MAX).findings());
            drainEvents();
        }

        private void lifecycleRun() {
            for (Deletion deletion : ecr.lifecycleRun(policy)) {
                if (deletion.newestRelease == null) {
                    continue;
                }
                if (ecr.lastVerdicts.get(deletion.digest) == ReleaseStanding.Verdict.OUT_OF_TURN) {
                    outOfTurnDeletions.add(deletion);
                } else {
                    rotationDeletions++;
                }
            }
        }

        boolean namedBefore(Deletion deletion) {
            return expiryFindings.stream().anyMatch(sent -> !sent.at().isAfter(deletion.at())
                    && sent.finding().imageDigest().equals(deletion.digest())
                    && sent.finding().productionTags().contains(deletion.newestRelease())
                    && sent.finding().severity() == Finding.Severity.CRITICAL);
        }

        double rotationShareOfExpiryFindings() {
            return expiryFindings.isEmpty() ? 0 : (double) rotationFindings / expiryFindings.size();
        }

        long distinctExpiryFindings() {
            return expiryFindings.stream().map(sent -> sent.finding().tag() + "@" + sent.finding().imageDigest())
                    .distinct().count();
        }

        /** A container image whose content is build output number {@code content}: same content, same digest. */
        static Manifest image(int content) {
            String config = Digest.sha256(("config " + content).getBytes(StandardCharsets.UTF_8)).value();
            String layer = Digest.sha256(("layer " + content).getBytes(StandardCharsets.UTF_8)).value();
            String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{"
                    + "\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + config + "\",\"size\":321},"
                    + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                    + layer + "\",\"size\":4321}]}";
            return Manifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
        }
    }

    /**
     * One ECR repository as the guard sees it (the catalog port) and as re-tagging sees it (the registry port): tags
     * move between digests, a digest keeps its first push time, the lifecycle run deletes what the policy expires.
     * It knows the truth the guard has to work out: when each release tag reached its digest.
     */
    static final class SimulatedEcr implements ImageCatalog, ImageRegistry {

        final String policyText;
        final Map<Digest, Manifest> manifests = new LinkedHashMap<>();
        final Map<Digest, Instant> firstPushed = new HashMap<>();
        final Map<Tag, Digest> tags = new LinkedHashMap<>();
        final Map<Tag, Release> trueReleases = new HashMap<>();
        final List<PushEvent> events = new ArrayList<>();
        final Map<Digest, ReleaseStanding.Verdict> lastVerdicts = new HashMap<>();
        Instant now = START;
        int eventIds;

        SimulatedEcr(String policyText) {
            this.policyText = policyText;
        }

        void push(Tag tag, Manifest manifest) {
            Digest digest = manifest.digest();
            if (manifests.putIfAbsent(digest, manifest) == null) {
                firstPushed.put(digest, now);
            }
            Digest before = tags.put(tag, digest);
            if (PRODUCTION.isProduction(tag) && !digest.equals(before)) {
                trueReleases.put(tag, new Release(tag, now, Release.Source.LEDGER));
            }
            events.add(new PushEvent("event-" + (++eventIds), now, LOCATION.account(), LOCATION.region(), REPOSITORY,
                    digest, tag, Optional.of(manifest.mediaType()), Optional.empty()));
        }

        List<ImageRecord> images() {
            Map<Digest, List<Tag>> byDigest = new LinkedHashMap<>();
            manifests.keySet().forEach(digest -> byDigest.put(digest, new ArrayList<>()));
            tags.forEach((tag, digest) -> byDigest.get(digest).add(tag));
            return byDigest.entrySet().stream()
                    .map(e -> ImageRecord.of(e.getKey(), e.getValue(), firstPushed.get(e.getKey()))).toList();
        }

        /** The truth at this moment: how the release-safety definition judges each image with the real times. */
        ReleaseStanding.Verdict verdictNow(Digest digest) {
            return ReleaseSafety.assess(LifecyclePolicyParser.parse(policyText), images(), PRODUCTION,
                            trueReleases, now, Duration.ZERO).stream()
                    .filter(standing -> standing.image().digest().equals(digest)).map(ReleaseStanding::verdict)
                    .findFirst().orElse(ReleaseStanding.Verdict.KEPT);
        }

        /** ECR's daily run: deletes every image the policy expires now; says which releases went, judged truly. */
        List<Deletion> lifecycleRun(LifecyclePolicy policy) {
            List<ImageRecord> images = images();
            lastVerdicts.clear();
            Map<Digest, Tag> newest = new HashMap<>();
            for (ReleaseStanding standing : ReleaseSafety.assess(policy, images, PRODUCTION, trueReleases, now,
                    Duration.ZERO)) {
                lastVerdicts.put(standing.image().digest(), standing.verdict());
                newest.put(standing.image().digest(), standing.newestRelease().tag());
            }
            List<Deletion> deleted = new ArrayList<>();
            for (ImageDecision decision : LifecycleEngine.evaluate(policy, images, now).decisions()) {
                if (decision.action() == ImageDecision.Action.EXPIRE) {
                    Digest digest = decision.digest();
                    deleted.add(new Deletion(digest, newest.get(digest), now));
                    manifests.remove(digest);
                    firstPushed.remove(digest);
                    tags.values().removeIf(digest::equals);
                }
            }
            return deleted;
        }

        // ImageCatalog

        @Override
        public Optional<ImageRecord> describeImage(RepositoryName repository, Digest digest) {
            return images().stream().filter(image -> image.digest().equals(digest)).findFirst();
        }

        @Override
        public Optional<String> lifecyclePolicyText(RepositoryName repository) {
            return Optional.of(policyText);
        }

        @Override
        public void forEachImage(RepositoryName repository, Consumer<ImageRecord> consumer) {
            images().forEach(consumer);
        }

        // ImageRegistry (what the re-tagger uses)

        @Override
        public Optional<Manifest> fetchManifest(RepositoryName repository, String reference) {
            Digest digest = reference.startsWith("sha256:") ? Digest.of(reference) : tags.get(Tag.of(reference));
            return Optional.ofNullable(digest == null ? null : manifests.get(digest));
        }

        @Override
        public Optional<byte[]> fetchBlob(RepositoryName repository, Digest digest) {
            return Optional.empty();
        }

        @Override
        public void pushBlob(RepositoryName repository, Digest digest, byte[] content) {
        }

        @Override
        public PushOutcome pushManifest(RepositoryName repository, Optional<Tag> tag, Manifest manifest) {
            boolean existed = manifests.containsKey(manifest.digest());
            if (tag.isPresent()) {
                push(tag.get(), manifest);
            } else if (!existed) {
                manifests.put(manifest.digest(), manifest);
                firstPushed.put(manifest.digest(), now);
            }
            return existed ? PushOutcome.ALREADY_EXISTED : PushOutcome.CREATED;
        }

        @Override
        public List<Tag> listTags(RepositoryName repository) {
            return List.copyOf(tags.keySet());
        }

        @Override
        public List<Digest> referrers(RepositoryName repository, Digest digest) {
            return List.of();
        }

        @Override
        public TagMutability tagMutability(RepositoryName repository, Tag tag) {
            return TagMutability.MUTABLE;
        }
    }
}
