package dev.ecrdigestguard.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Digest}, {@link Tag} and {@link RepositoryName} check their text by hand instead of with a regular expression;
 * these properties hold the hand-written checks to the expressions they replaced (ECR's and the OCI spec's), over
 * strings made of the characters that matter at the boundaries.
 */
class ValueCheckProperties {

    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,299}");
    private static final Pattern REPOSITORY =
            Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");

    @Property(tries = 2000)
    void digest_acceptsExactlyWhatTheRegexAccepts(@ForAll("digests") String text) {
        assertThat(accepts(Digest::of, text)).isEqualTo(DIGEST.matcher(text).matches());
    }

    @Property(tries = 2000)
    void tag_acceptsExactlyWhatTheRegexAccepts(@ForAll("tags") String text) {
        assertThat(accepts(Tag::of, text)).isEqualTo(TAG.matcher(text).matches());
    }

    @Property(tries = 4000)
    void repositoryName_acceptsExactlyWhatTheRegexAndLengthLimitsAccept(@ForAll("repositories") String text) {
        boolean expected = text.length() >= 2 && text.length() <= 256 && REPOSITORY.matcher(text).matches();

        assertThat(accepts(RepositoryName::of, text)).isEqualTo(expected);
    }

    private static boolean accepts(Function<String, ?> factory, String text) {
        try {
            factory.apply(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Mostly well-formed digests with one character changed, cut or added; sometimes another prefix. */
    @Provide
    Arbitrary<String> digests() {
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdefABCDEFg:").ofMinLength(62)
                .ofMaxLength(66);
        Arbitrary<String> valid = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
        Arbitrary<String> prefix = Arbitraries.of("sha256:", "sha256:", "sha256:", "sha512:", "SHA256:", "sha256",
                "");
        return Arbitraries.oneOf(valid, hex).flatMap(body -> prefix.map(p -> p + body));
    }

    /** Short and maximal lengths over letters, digits, the separators and characters just outside the set. */
    @Provide
    Arbitrary<String> tags() {
        Arbitrary<String> chars = Arbitraries.strings().withChars("aZ09_.-/:+ @`{").ofMinLength(0).ofMaxLength(8);
        Arbitrary<String> atTheLimit = Arbitraries.integers().between(298, 302).map("a"::repeat);
        return Arbitraries.oneOf(chars, chars, atTheLimit);
    }

    /** Lowercase runs, every separator, doubled and leading or trailing, uppercase and the length limits. */
    @Provide
    Arbitrary<String> repositories() {
        Arbitrary<String> chars = Arbitraries.strings().withChars("ab09._-/A ").ofMinLength(0).ofMaxLength(10);
        Arbitrary<String> lengths = Arbitraries.integers().between(250, 260)
                .map(n -> ("ab/" + "c".repeat(n)).substring(0, n));
        return Arbitraries.oneOf(chars, chars, chars, lengths);
    }
}
