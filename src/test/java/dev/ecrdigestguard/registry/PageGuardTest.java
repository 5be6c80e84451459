package dev.ecrdigestguard.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageGuardTest {

    private static PageGuard guard(int maxPages) {
        return new PageGuard(maxPages, problem -> new RegistryException("listing: " + problem, false));
    }

    /** Feeds the guard each page's next token, the way an adapter's loop does, and returns the pages it read. */
    private static int walk(PageGuard guard, List<String> tokens) {
        int read = 0;
        String next;
        do {
            next = tokens.get(read++);
        } while (guard.hasNext(next));
        return read;
    }

    @Test
    void hasNext_followsDistinctTokens_toTheEnd() {
        PageGuard guard = guard(10);

        assertThat(walk(guard, List.of("a", "b", "c", ""))).isEqualTo(4);
        assertThat(guard.pages()).isEqualTo(4);
    }

    @Test
    void hasNext_endsOnNull() {
        List<String> tokens = new ArrayList<>();
        tokens.add("a");
        tokens.add(null);

        assertThat(walk(guard(10), tokens)).isEqualTo(2);
    }

    @Test
    void hasNext_stopsATokenThatRepeats_afterTwoPages() {
        assertThatThrownBy(() -> walk(guard(1000), List.of("same", "same", "same")))
                .isInstanceOf(RegistryException.class)
                .hasMessage("listing: the server sent the next-page token 'same' again after 2 pages; the listing "
                        + "would never end")
                .satisfies(e -> assertThat(((RegistryException) e).retryable()).isFalse());
    }

    @Test
    void hasNext_stopsACycleOfTokens() {
        assertThatThrownBy(() -> walk(guard(1000), List.of("a", "b", "c", "a")))
                .hasMessageContaining("'a' again after 4 pages");
    }

    @Test
    void hasNext_stopsAtTheCap_evenWithFreshTokens() {
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fresh.add("token-" + i);
        }

        assertThatThrownBy(() -> walk(guard(5), fresh)).hasMessageStartingWith("listing: still more after 5 pages");
    }

    @Test
    void hasNext_echoesAHugeTokenShort() {
        String huge = "t".repeat(1_000_000);

        assertThatThrownBy(() -> walk(guard(10), List.of(huge, huge)))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }
}
