package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.aws.AwsClients;
import dev.ecrdigestguard.config.GuardConfig;
import dev.ecrdigestguard.ecr.EcrRegistryClient;
import dev.ecrdigestguard.finding.Wording;
import dev.ecrdigestguard.image.ProductionTags;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.json.JsonText;
import dev.ecrdigestguard.oci.DockerCredentials;
import dev.ecrdigestguard.oci.OciRegistryClient;
import dev.ecrdigestguard.oci.RegistryAddress;
import dev.ecrdigestguard.oci.RegistryCredentials;
import dev.ecrdigestguard.registry.ImageRegistry;
import dev.ecrdigestguard.retag.ManifestRewriting;
import dev.ecrdigestguard.retag.RetagOutcome;
import dev.ecrdigestguard.retag.Retagger;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code retag}: gives a production tag that shares its digest an image of its own, as MODE=RETAG does. */
@Command(name = "retag",
        mixinStandardHelpOptions = true,
        description = {
            "Moves a production tag that shares its digest with another production tag to an image with the same "
                    + "content and a digest of its own (one added label or annotation naming the tag).",
            "Refuses, and changes nothing, when the tag is immutable, the image is signed or attested (unless "
                    + "--allow-signed), or the manifest type isn't a container image it can rewrite.",
            "Without --registry it works on ECR with the default credential chain (--region, --profile); with "
                    + "--registry on any registry that speaks the OCI Distribution API, with the credentials of "
                    + "--registry-user and --password-stdin (or REGISTRY_USERNAME and REGISTRY_PASSWORD), else those "
                    + "docker login stored (~/.docker/config.json and its credential helpers), else anonymously."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the tag has a digest of its own (re-tagged now, or nothing to do)",
            "1:the tag still shares its digest (re-tag refused, or --dry-run found one to do)",
            "2:bad input or usage",
            "3:a registry or AWS call failed (nothing moved; running again finishes the job)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ecr-digest-guard retag --region eu-west-1 --repository shop-api --tag tag-1-253-0 \\",
            "      --production-tags 'tag-*'",
            "  ecr-digest-guard retag --registry 127.0.0.1:5000 --repository shop/api --tag v1.4.0 \\",
            "      --production-tags 'v*' --dry-run",
            "  printf '%%s' \"$TOKEN\" | ecr-digest-guard retag --registry ghcr.io --registry-user me --password-stdin \\",
            "      --repository me/app --tag v2.0.0 --production-tags 'v*'",
            "",
            "Environment: PRODUCTION_TAG_PATTERNS, RETAG_SIGNED_IMAGES, REGISTRY_USERNAME, REGISTRY_PASSWORD,",
            "DOCKER_CONFIG; AWS_REGION, AWS_PROFILE and the AWS SDK's credential variables."})
public final class RetagCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--repository", required = true, paramLabel = "NAME", description = "Repository, e.g. team/app.")
    String repository;

    @Option(names = "--tag", required = true, paramLabel = "TAG", description = "The production tag to re-tag.")
    String tag;

    @Option(names = "--registry", paramLabel = "HOST[:PORT]",
            description = "An OCI Distribution registry: host[:port] (HTTPS; plain HTTP for a loopback host such as"
                    + " 127.0.0.1:5000) or http(s)://host[:port]. Default: ECR.")
    String registry;

    @Option(names = "--registry-user", paramLabel = "USER", defaultValue = "${env:REGISTRY_USERNAME}",
            description = "User for --registry (basic auth, or for the registry's token service); the password comes"
                    + " from --password-stdin or $REGISTRY_PASSWORD. Default: $REGISTRY_USERNAME, else the"
                    + " credentials docker login stored for the registry, else anonymous.")
    String registryUser;

    @Option(names = "--password-stdin",
            description = "Read the --registry-user password from standard input (as docker login does).")
    boolean passwordStdin;

    /**
     * Refused: a password on the command line shows in the process list and the shell's history. Declared only to
     * say so, instead of "unknown option".
     */
    @Option(names = "--registry-password", paramLabel = "PASSWORD", hidden = true)
    String passwordOnCommandLine;

    @Mixin
    AwsOptions aws;

    @Mixin
    ProductionTagsOption productionTags;

    @Option(names = "--dry-run", description = "Compute the new digest and report it; write nothing.")
    boolean dryRun;

    @Option(names = "--allow-signed",
            description = "Re-tag signed or attested images too (the new digest is unsigned). "
                    + "Default: $RETAG_SIGNED_IMAGES, else false.")
    Boolean allowSigned;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    /** The registry to work on: ECR when none is given. Replaced in tests. */
    Function<Optional<RegistryAddress>, ImageRegistry> registries = this::registry;

    /** Where the password of --password-stdin comes from. Replaced in tests. */
    Supplier<InputStream> stdin = () -> System.in;

    /** The environment (REGISTRY_PASSWORD, DOCKER_CONFIG, PATH). Replaced in tests. */
    Map<String, String> environment = System.getenv();

    /** The rewriter. Replaced in tests. */
    ManifestRewriting rewriting = ManifestRewriting.standard();

    @Override
    public Integer call() {
        if (passwordOnCommandLine != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--registry-password is not accepted on the"
                    + " command line (it would show in the process list and the shell history): pipe it to"
                    + " --password-stdin, or set REGISTRY_PASSWORD");
        }
        RepositoryName repositoryName = OptionValue.parse("--repository", () -> RepositoryName.of(repository));
        Tag tagName = OptionValue.parse("--tag", () -> Tag.of(tag));
        ProductionTags patterns = productionTags.required();
        if (!patterns.isProduction(tagName)) {
            throw new IllegalArgumentException("--tag " + tagName + " is not a production tag (" + patterns + "):"
                    + " retag moves production tags only; pass the patterns it belongs to with --production-tags");
        }
        Optional<RegistryAddress> address = Optional.ofNullable(registry)
                .map(text -> OptionValue.parse("--registry", () -> RegistryAddress.parse(text)));
        Retagger retagger = new Retagger(registries.apply(address), rewriting, patterns, allowSigned());
        RetagOutcome outcome = retagger.retag(repositoryName, tagName, Optional.empty(), dryRun);
        if (outcome instanceof RetagOutcome.NothingToDo nothing && nothing.digestBefore().isEmpty()) {
            // A production tag's digest is empty only when the tag (or the repository) isn't there.
            throw new IllegalArgumentException(nothing.reason() + " (" + address.map(Object::toString)
                    .orElse("ECR") + "): check --repository, --tag" + (address.isEmpty() ? " and --region" : "")
                    + "; nothing was changed");
        }
        print(repositoryName, outcome);
        if (outcome instanceof RetagOutcome.Refused) {
            return Main.FINDINGS;
        }
        if (outcome instanceof RetagOutcome.Retagged retagged && retagged.dryRun()) {
            return Main.FINDINGS;
        }
        return Main.OK;
    }

    private ImageRegistry registry(Optional<RegistryAddress> address) {
        if (address.isEmpty()) {
            aws.apply();
            return EcrRegistryClient.create(AwsClients.newEcrClient());
        }
        return OciRegistryClient.create(address.get().endpoint(), credentials(address.get()));
    }

    /** The user and password given here, else what docker login stored for the registry, else anonymous. */
    RegistryCredentials credentials(RegistryAddress address) {
        if (registryUser == null || registryUser.isBlank()) {
            if (passwordStdin) {
                throw new IllegalArgumentException("--password-stdin needs --registry-user (or REGISTRY_USERNAME)");
            }
            return DockerCredentials.of(environment).forRegistry(address).orElse(RegistryCredentials.anonymous());
        }
        String password = passwordStdin ? readPassword() : environment.getOrDefault("REGISTRY_PASSWORD", "");
        return OptionValue.parse("--registry-user", () -> RegistryCredentials.basic(registryUser, password));
    }

    /** One line from standard input, as docker login --password-stdin reads it: the trailing line break dropped. */
    private String readPassword() {
        try {
            String text = new String(stdin.get().readAllBytes(), StandardCharsets.UTF_8);
            String password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            if (password.isEmpty()) {
                throw new IllegalArgumentException("--password-stdin: standard input was empty");
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("--password-stdin: cannot read standard input: " + e.getMessage(), e);
        }
    }

    private boolean allowSigned() {
        if (allowSigned != null) {
            return allowSigned;
        }
        String value = System.getenv(GuardConfig.RETAG_SIGNED_IMAGES);
        if (value == null || value.isBlank()) {
            return false;
        }
        String normalised = value.trim().toLowerCase(Locale.ROOT);
        if (!normalised.equals("true") && !normalised.equals("false")) {
            throw new IllegalArgumentException(GuardConfig.RETAG_SIGNED_IMAGES + " is '" + value
                    + "'; expected true or false");
        }
        return Boolean.parseBoolean(normalised);
    }

    private void print(RepositoryName repositoryName, RetagOutcome outcome) {
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            out.println(JsonText.writePretty(json(outcome)));
            return;
        }
        String image = repositoryName + ":" + outcome.tag();
        if (outcome instanceof RetagOutcome.Retagged retagged) {
            out.println((retagged.dryRun() ? "Would re-tag " : "Re-tagged ") + image + " from "
                    + retagged.fromDigest() + " to " + retagged.toDigest() + ".");
            out.println("It shared its digest with " + Wording.listOf(retagged.sharedWith(), 10)
                    + ", which stay where they are.");
            out.println("Changed: " + retagged.whatChanged() + "; layers and everything else are unchanged.");
            out.println("Scan results and signatures belong to " + retagged.fromDigest().shortForm()
                    + " and don't cover the new digest.");
        } else if (outcome instanceof RetagOutcome.Refused refused) {
            out.println("Refused to re-tag " + image + ": " + refused.reason() + ".");
            out.println("Nothing was changed.");
        } else {
            out.println("Nothing to do for " + image + ": " + ((RetagOutcome.NothingToDo) outcome).reason() + ".");
        }
    }

    static Map<String, Object> json(RetagOutcome outcome) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("action", outcome instanceof RetagOutcome.Retagged ? "RETAG"
                : outcome instanceof RetagOutcome.Refused ? "REFUSED" : "NONE");
        root.put("tag", outcome.tag().value());
        root.put("fromDigest", outcome.digestBefore().map(Object::toString).orElse(null));
        if (outcome instanceof RetagOutcome.Retagged retagged) {
            root.put("toDigest", retagged.toDigest().value());
            root.put("reason", "shared its digest with " + Wording.listOf(retagged.sharedWith(), 10) + "; "
                    + retagged.whatChanged());
            root.put("dryRun", retagged.dryRun());
        } else {
            root.put("toDigest", null);
            root.put("reason", outcome instanceof RetagOutcome.Refused refused ? refused.reason()
                    : ((RetagOutcome.NothingToDo) outcome).reason());
            root.put("dryRun", false);
        }
        return root;
    }
}
