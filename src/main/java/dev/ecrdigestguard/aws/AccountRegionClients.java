package dev.ecrdigestguard.aws;

import dev.ecrdigestguard.image.AccountRegion;
import java.util.Objects;
import java.util.function.BiFunction;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * SDK clients of one service, one per account and region, each with that account's credentials
 * ({@link AccountCredentials}) and that region. Built on first use and kept: building a client costs a cold start
 * about 150 ms, and a warm function sees the same few accounts again and again. At most {@link #MAX_CLIENTS}, the
 * least recently used closed and dropped first.
 *
 * <p>Shared by everything that fans out over an organization: the function's per-push ports, {@code audit}, a sweep.
 */
public final class AccountRegionClients<C extends SdkAutoCloseable> implements AutoCloseable {

    /** Enough for a few hundred account-region pairs; each client holds little beyond its configuration. */
    static final int MAX_CLIENTS = 256;

    private final AccountCredentials credentials;
    private final BiFunction<AwsCredentialsProvider, Region, C> build;
    private final BoundedCache<AccountRegion, C> clients;

    public AccountRegionClients(AccountCredentials credentials, BiFunction<AwsCredentialsProvider, Region, C> build) {
        this(credentials, build, MAX_CLIENTS);
    }

    AccountRegionClients(AccountCredentials credentials, BiFunction<AwsCredentialsProvider, Region, C> build,
                         int maxClients) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.build = Objects.requireNonNull(build, "build");
        // An evicted client is the least recently used of hundreds: no call of the bounded-concurrency callers can
        // still be running on it.
        this.clients = new BoundedCache<>(maxClients, SdkAutoCloseable::close);
    }

    public AccountCredentials credentials() {
        return credentials;
    }

    /**
     * The client for {@code where}, whose credentials work now.
     *
     * @throws software.amazon.awssdk.core.exception.SdkException when the account's credentials can't be had
     * @throws IllegalArgumentException when the account is another one and no member role is set
     */
    public C client(AccountRegion where) {
        AwsCredentialsProvider provider = credentials.forAccount(where.account());
        return clients.get(where, key -> build.apply(provider, Region.of(key.region())));
    }

    @Override
    public void close() {
        clients.clear();
    }
}
