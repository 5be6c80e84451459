package dev.ecrdigestguard.registry;

import dev.ecrdigestguard.text.Echo;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Follows the pages of one paginated listing — a {@code nextToken}, a {@code Link: rel="next"} — and stops one that
 * would never end: a token that comes back (a server repeating a page, or cycling through a few) or more pages than
 * the listing can hold. Without it, a registry that keeps answering with the same token makes the guard walk pages
 * until its time runs out, and the command line until its heap does.
 *
 * <p>Only the pages are its business; time belongs to the caller's deadline. Every adapter that pages (ECR's
 * {@code DescribeImages}, {@code DescribeRepositories} and {@code ListImageReferrers}, the OCI tag list and referrers)
 * uses one per listing, and turns the problem into its own port's non-retryable failure: a server that loops will
 * loop again.
 */
public final class PageGuard {

    private final int maxPages;
    private final Function<String, ? extends RuntimeException> failure;
    private final Set<String> seen = new HashSet<>();
    private int pages;

    /**
     * @param maxPages more pages than any real listing of this kind has (say why where it is chosen)
     * @param failure  the adapter's exception for a listing stopped here, given the reason in words
     */
    public PageGuard(int maxPages, Function<String, ? extends RuntimeException> failure) {
        if (maxPages < 1) {
            throw new IllegalArgumentException("maxPages must be positive, got " + maxPages);
        }
        this.maxPages = maxPages;
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /**
     * Called once a page has been read, with what it says about the next one: {@code true} to read the page
     * {@code next} names, {@code false} at the end of the listing (no token, or an empty one).
     *
     * @throws RuntimeException the adapter's failure, when {@code next} was seen before or the cap is reached
     */
    public boolean hasNext(String next) {
        pages++;
        if (next == null || next.isEmpty()) {
            return false;
        }
        if (!seen.add(next)) {
            throw failure.apply("the server sent the next-page token '" + Echo.of(next, 40) + "' again after "
                    + pages + " pages; the listing would never end");
        }
        if (pages >= maxPages) {
            throw failure.apply("still more after " + pages + " pages, more than such a listing can hold; stopped "
                    + "rather than read forever");
        }
        return true;
    }

    /** Pages read so far. */
    public int pages() {
        return pages;
    }
}
