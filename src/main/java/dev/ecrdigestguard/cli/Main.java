package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.config.BuildInfo;
import dev.ecrdigestguard.config.ConfigurationException;
import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.log.Log;
import dev.ecrdigestguard.text.Echo;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The command line in the same jar as the Lambda function: {@code java -jar ecr-digest-guard.jar <command>}.
 *
 * <p>Exit status, shared by every command: 0 nothing found, 1 findings, 2 bad input or usage (one line on stderr
 * says what), 3 an AWS or registry call failed, 4 an internal error (a bug: the stack trace is printed).
 * For {@code retag}, "findings" means the tag still shares its digest: 0 re-tagged or nothing to do, 1 refused
 * (or, with {@code --dry-run}, a re-tag to do).
 */
@Command(name = "ecr-digest-guard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Finds production tags that share a digest in Amazon ECR, and what the lifecycle policy "
                + "will do to those releases.",
        subcommands = {CheckCommand.class, PreviewCommand.class, AuditCommand.class, RetagCommand.class,
                BackfillCommand.class, CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class, ManPageGenerator.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ecr-digest-guard check --event events/push-collision.json --snapshot events/snapshot-expiring"
                    + " --production-tags 'tag-*'",
            "  ecr-digest-guard check --region eu-west-1 --repository shop-api --tag tag-1-253-0"
                    + " --production-tags 'tag-*'",
            "  ecr-digest-guard retag --region eu-west-1 --repository shop-api --tag tag-1-253-0"
                    + " --production-tags 'tag-*'",
            "  ecr-digest-guard preview --region eu-west-1 --repository shop-api --against-ecr",
            "  ecr-digest-guard audit --all-repositories --production-tags 'tag-*' --format table",
            "  source <(ecr-digest-guard generate-completion)     # bash or zsh completion",
            "  ecr-digest-guard gen-manpage --outdir man           # man pages as AsciiDoc (asciidoctor -b manpage)",
            "",
            "Environment:",
            "  AWS_REGION, AWS_PROFILE     region and profile when --region / --profile are not given",
            "  AWS_ACCESS_KEY_ID, …        credentials: the AWS SDK's default chain (environment, profile, SSO,",
            "                              container and instance roles)",
            "  AWS_ENDPOINT_URL[_ECR|_SNS] another endpoint for the AWS APIs (local testing)",
            "  PRODUCTION_TAG_PATTERNS     default of --production-tags, as the function reads it",
            "  ALERT_TOPIC_ARN, MODE, SILENCED_REPOSITORIES, SLACK_WEBHOOK_SECRET_ARN, RETAG_SIGNED_IMAGES",
            "                              the function's other settings, which check applies as the function does",
            "  REGISTRY_USERNAME, REGISTRY_PASSWORD, DOCKER_CONFIG",
            "                              credentials of retag --registry",
            "  NO_COLOR                    set: no colour in help and errors",
            "",
            "Exit status: 0 nothing found, 1 findings, 2 bad input or usage, 3 an AWS or registry call failed,",
            "4 an internal error."})
public final class Main {

    public static final int OK = 0;
    public static final int FINDINGS = 1;
    public static final int BAD_INPUT = 2;
    public static final int AWS_FAILURE = 3;
    /** A bug: the stack trace goes to stderr. */
    public static final int INTERNAL_ERROR = 4;

    /** AWS SDK settings the commands' {@code --region} and {@code --profile} set for the run (see AwsOptions). */
    private static final List<String> SDK_PROPERTIES = List.of(AwsOptions.REGION_PROPERTY, AwsOptions.PROFILE_PROPERTY);

    /** Where output goes; subcommands read it through their parent command. */
    Terminal terminal = Terminal.NONE;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, Terminal.ofProcess(System.getenv())));
    }

    /** Runs a command line with the given streams and returns its exit status; the streams are no terminal. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Terminal.NONE);
    }

    static int run(String[] args, PrintStream out, PrintStream err, Terminal terminal) {
        // stdout carries the command's result; diagnostics go to stderr.
        Log.setOutput(err);
        // The command prints its own result; the guard's log lines are for the function's logs, so only errors show.
        Log.setLevel(Log.Level.ERROR);
        Main main = new Main();
        main.terminal = terminal;
        CommandLine commandLine = configured(new CommandLine(main), terminal);
        commandLine.setOut(new StandardOutput(out));
        commandLine.setErr(new PrintWriter(err, true));
        Map<String, String> sdkSettings = new HashMap<>();
        SDK_PROPERTIES.forEach(name -> sdkSettings.put(name, System.getProperty(name)));
        try {
            return commandLine.execute(args);
        } catch (Error e) {
            // Picocli hands only Exceptions to the handler above; an Error would end the JVM with a stack trace and
            // status 1, which means "findings". It is a failure of this process, said in one line.
            err.println("ecr-digest-guard: " + errorLine(e));
            err.flush();
            return INTERNAL_ERROR;
        } finally {
            // --region and --profile hold for one run: a caller running several (the tests) starts clean each time.
            AwsOptions.reset();
            sdkSettings.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
        }
    }

    /** The conventions every command shares: how options parse, how mistakes and failures are reported. */
    static CommandLine configured(CommandLine commandLine, Terminal terminal) {
        // --format JSON works as --format json does, as in the AWS CLI.
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(
                terminal.colourOnStdout() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        commandLine.setParameterExceptionHandler(Main::usageError);
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            int status = exitStatus(e);
            cl.getErr().println(cl.getCommandName() + ": " + oneLine(e));
            if (status == INTERNAL_ERROR) {
                e.printStackTrace(cl.getErr());
            }
            return status;
        });
        return commandLine;
    }

    /**
     * A mistake on the command line: one line naming it, a suggestion when the word is close to a known one, and
     * where the help is — not the whole help, which would push the mistake off the screen.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandName() + ": " + oneLine(e));
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            err.println("Did you mean: " + String.join(" or ", unmatched.getSuggestions()) + "?");
        }
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return BAD_INPUT;
    }

    /** One line for an {@link Error}: what ran out, and what the user can do about it. */
    static String errorLine(Error e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + Echo.of(e.getMessage()) + "): the input needs more heap than this JVM has; "
                    + "give it more with java -Xmx4g -jar ecr-digest-guard.jar …";
        }
        if (e instanceof StackOverflowError) {
            return "the input is nested too deeply to process (StackOverflowError)";
        }
        return "internal error: " + e.getClass().getName() + ": " + Echo.of(e.getMessage());
    }

    static int exitStatus(Exception e) {
        if (e instanceof ServiceFailure || e instanceof SdkException) {
            return AWS_FAILURE;
        }
        if (e instanceof IllegalArgumentException || e instanceof ConfigurationException
                || e instanceof UncheckedIOException) {
            return BAD_INPUT;
        }
        return INTERNAL_ERROR;
    }

    /** The message on one line, bounded, with anything a terminal would act on escaped ({@link Echo}). */
    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Echo.of(message.replace('\n', ' '), Echo.LINE);
    }

    /** "ecr-digest-guard 0.1.0 (commit 09a9c5e5f19b)", and the Java running it, as {@code aws --version} does. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.current().describe(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
