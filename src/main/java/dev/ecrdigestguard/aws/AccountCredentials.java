package dev.ecrdigestguard.aws;

import dev.ecrdigestguard.config.MemberRole;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.text.Echo;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Credentials per AWS account, for a guard (or an audit) that reads the repositories of many accounts of an
 * organization. The process's own account uses its own credentials (the default chain: the function's role, or the
 * person's profile) and needs no role; any other account uses the member role there, assumed with {@code AssumeRole}
 * and kept until shortly before it expires.
 *
 * <p>What is cached, and for how long:
 * <ul>
 *   <li>the caller's own account and partition: given by the function, which knows them from the ARN it was invoked
 *       by; otherwise (the command line) one {@code GetCallerIdentity}, once (it needs no permission);</li>
 *   <li>per account, the SDK's {@link StsAssumeRoleCredentialsProvider}, which renews the session from
 *       {@link #PREFETCH} before it expires and never hands out one within {@link #STALE} of expiry, on the calling
 *       thread (no background thread per account); at most {@link #MAX_ACCOUNTS} accounts, least recently used
 *       dropped first.</li>
 * </ul>
 * Failures are the SDK's ({@code StsException} for a refusal): callers translate them for their port.
 */
public final class AccountCredentials {

    /** More accounts than most organizations have; each entry is a few small objects. */
    static final int MAX_ACCOUNTS = 512;
    static final Duration PREFETCH = Duration.ofMinutes(5);
    static final Duration STALE = Duration.ofMinutes(1);
    /** What a member account's CloudTrail shows as the session of the guard's calls. */
    static final String SESSION_NAME = "ecr-digest-guard";

    private final Supplier<StsClient> sts;
    private final Supplier<Optional<Caller>> told;
    private final AwsCredentialsProvider own;
    private final Optional<MemberRole> role;
    private final BoundedCache<String, AwsCredentialsProvider> assumed;
    private StsClient client;
    private Caller caller;

    /**
     * Who the process is: its account, and the partition role ARNs are built in ({@code aws}, {@code aws-cn},
     * {@code aws-us-gov}, or one of the isolated {@code aws-iso…}).
     */
    public record Caller(String account, String partition) {

        private static final Pattern PARTITION = Pattern.compile("aws(?:-cn|-us-gov|-iso(?:-[a-z])?)?");

        public Caller {
            AccountRegion.requireAccount(account);
            if (partition == null || !PARTITION.matcher(partition).matches()) {
                throw new IllegalArgumentException("partition '" + Echo.of(partition) + "' is not one of aws, "
                        + "aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f");
            }
        }
    }

    /**
     * @param sts  called once, when the first STS call is needed (most single-account uses never get there)
     * @param told who the process is, when it knows without asking (the function, from its ARN); asked on first use,
     *             and when empty then, STS is asked instead
     * @param own  the process's own credentials
     * @param role the role to assume in other accounts; without one, only the own account can be read
     */
    public AccountCredentials(Supplier<StsClient> sts, Supplier<Optional<Caller>> told, AwsCredentialsProvider own,
                              Optional<MemberRole> role) {
        this(sts, told, own, role, MAX_ACCOUNTS);
    }

    AccountCredentials(Supplier<StsClient> sts, Supplier<Optional<Caller>> told, AwsCredentialsProvider own,
                       Optional<MemberRole> role, int maxAccounts) {
        this.sts = Objects.requireNonNull(sts, "sts");
        this.told = Objects.requireNonNull(told, "told");
        this.own = Objects.requireNonNull(own, "own");
        this.role = Objects.requireNonNull(role, "role");
        this.assumed = new BoundedCache<>(maxAccounts, provider -> { });
    }

    /**
     * The default credential chain and an STS client in the default region, for a process that must ask STS who it
     * is (the command line).
     */
    public static AccountCredentials create(Optional<MemberRole> role) {
        return create(role, Optional::empty);
    }

    /** The same for a process told who it is by {@code told} (the function, from the ARN it was invoked by). */
    public static AccountCredentials create(Optional<MemberRole> role, Supplier<Optional<Caller>> told) {
        return new AccountCredentials(AwsClients::newStsClient, told, DefaultCredentialsProvider.builder().build(),
                role);
    }

    /** Builds the STS client now (no request): SnapStart wants it in the snapshot. */
    public void prepare() {
        sts();
    }

    /**
     * The process's own account and partition, as told, or else from {@code GetCallerIdentity}; on first use.
     *
     * @throws software.amazon.awssdk.core.exception.SdkException when STS had to be asked and failed: describe it with
     *                                                            {@link AwsFailures#describeOwnIdentity}
     */
    public synchronized Caller caller() {
        if (caller == null) {
            caller = told.get().orElseGet(() -> {
                GetCallerIdentityResponse identity = sts().getCallerIdentity();
                String[] arn = identity.arn().split(":", 3);
                return new Caller(identity.account(), arn.length > 1 ? arn[1] : "aws");
            });
        }
        return caller;
    }

    private boolean isOwn(String account) {
        return caller().account().equals(account);
    }

    /** The member role in {@code account}, as assumed; empty without a role name. */
    public Optional<String> roleArn(String account) {
        return role.map(member -> member.arnIn(caller().partition(), account));
    }

    /**
     * Credentials for {@code account}, resolved now so that a refusal surfaces here, named as the STS call it is,
     * rather than inside the first ECR call; from cache when still fresh.
     *
     * @throws IllegalArgumentException when {@code account} is not the caller's and no member role is set
     * @throws software.amazon.awssdk.core.exception.SdkException when STS refuses or fails
     */
    public AwsCredentialsProvider forAccount(String account) {
        AccountRegion.requireAccount(account);
        if (isOwn(account)) {
            return own;
        }
        String arn = roleArn(account).orElseThrow(() -> new IllegalArgumentException("account " + account
                + " is not this one (" + caller().account() + ") and no member role is set to assume there"));
        AwsCredentialsProvider provider = assumed.get(account, key -> StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts())
                .refreshRequest(request -> request.roleArn(arn).roleSessionName(SESSION_NAME))
                .prefetchTime(PREFETCH)
                .staleTime(STALE)
                .asyncCredentialUpdateEnabled(false)
                .build());
        provider.resolveCredentials();
        return provider;
    }

    private synchronized StsClient sts() {
        if (client == null) {
            client = sts.get();
        }
        return client;
    }
}
