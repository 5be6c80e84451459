package dev.ecrdigestguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.ImageRecord.StorageClass;
import dev.ecrdigestguard.image.ImageRecord;
import dev.ecrdigestguard.image.InstantRange;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.lifecycle.CountType;
import dev.ecrdigestguard.lifecycle.ImageDecision;
import dev.ecrdigestguard.lifecycle.LifecycleRule;
import dev.ecrdigestguard.lifecycle.RuleAction;
import dev.ecrdigestguard.lifecycle.TagStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code preview}'s JSON, written by hand, is byte for byte what jackson's generator writes for the same decisions —
 * descriptions with quotes, backslashes, control characters and characters outside ASCII included.
 */
class PreviewJsonProperties {

    private static final Instant AT = Instant.parse("2024-06-20T00:00:00Z");

    @Property(tries = 500)
    void json_isWhatJacksonsGeneratorWrites(@ForAll("decisions") List<ImageDecision> decisions) throws IOException {
        StringWriter byHand = new StringWriter();
        PreviewOutput output = PreviewOutput.of(OutputFormat.json, new java.io.PrintWriter(byHand), AT);
        decisions.forEach(output);
        output.finish();

        assertThat(byHand.toString()).isEqualTo(withJackson(decisions));
    }

    /** The generator-based writing {@code preview} used before, field by field. */
    private static String withJackson(List<ImageDecision> decisions) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.writeStartObject();
            json.writeArrayFieldStart("images");
            for (ImageDecision decision : decisions) {
                ImageRecord image = decision.image();
                json.writeStartObject();
                json.writeStringField("imageDigest", image.digest().value());
                LifecycleJson.tags(json, "imageTags", image.tags());
                json.writeStringField("action", decision.action().name());
                LifecycleJson.ruleAndStanding(json, decision.decidingRule(), decision.standing());
                json.writeStringField("imagePushedAt", image.pushedAt().toString());
                json.writeStringField("storageClass", image.storageClass().name());
                if (decision instanceof ImageDecision.Keep keep && keep.heldByIndex().isPresent()) {
                    json.writeStringField("heldByIndex", keep.heldByIndex().get().value());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return text + System.lineSeparator();
    }

    @Provide
    Arbitrary<List<ImageDecision>> decisions() {
        Arbitrary<String> descriptions = Arbitraries.oneOf(
                Arbitraries.of("Keep last 50 releases", "say \"hi\" \\ back", "tab\there\nnew line", "\u0000\u001f\u007f",
                        "Größe — ½ ✓ 😀", "</script>", ""),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(12),
                Arbitraries.strings().ofMaxLength(8));
        Arbitrary<Optional<LifecycleRule>> rules = Combinators.combine(Arbitraries.integers().between(1, 999),
                descriptions.optional(), Arbitraries.of(CountType.IMAGE_COUNT_MORE_THAN, CountType.SINCE_IMAGE_PUSHED),
                Arbitraries.integers().between(1, 100_000))
                .as((priority, description, type, count) -> new LifecycleRule(priority, description, TagStatus.ANY,
                        Optional.empty(), StorageClass.STANDARD, type, count, RuleAction.EXPIRE))
                .optional(0.8);
        Arbitrary<ImageRecord> images = Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.strings().withChars("abcAZ09._-").ofMinLength(1).ofMaxLength(20).list().ofMaxSize(3),
                Arbitraries.longs().between(0, InstantRange.LATEST.getEpochSecond()),
                Arbitraries.of(0, 1_000_000, 123_456_000, 1), Arbitraries.of(StorageClass.values()))
                .as((digest, tags, seconds, nanos, storage) -> new ImageRecord(
                        Digest.of(String.format("sha256:%064x", digest)),
                        tags.stream().map(tag -> Tag.of("t" + tag)).toList(), Instant.ofEpochSecond(seconds, nanos),
                        Optional.empty(), storage, Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), List.of()));
        Arbitrary<ImageDecision> decision = Combinators.combine(images, rules, Arbitraries.integers().between(1, 200_000),
                Arbitraries.integers().between(0, 3))
                .as((image, rule, rank, kind) -> {
                    if (rule.isEmpty()) {
                        return ImageDecision.Keep.unselected(image);
                    }
                    int ranked = rule.get().isCountRule() ? rank : 0;
                    return switch (kind) {
                        case 0 -> new ImageDecision.Expire(image, rule.get(), ranked);
                        case 1 -> new ImageDecision.Keep(image, rule, ranked,
                                Optional.of(Digest.of("sha256:" + "ab".repeat(32))));
                        default -> new ImageDecision.Keep(image, rule, ranked, Optional.empty());
                    };
                });
        return decision.list().ofMaxSize(6);
    }
}
