package dev.ecrdigestguard.cli;

import java.util.function.Supplier;

/** An option's value parsed into its type, with a rejected value's message naming the option. */
final class OptionValue {

    private OptionValue() {
    }

    /** {@code parser}'s value; its {@link IllegalArgumentException} again, prefixed with {@code option}. */
    static <T> T parse(String option, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
