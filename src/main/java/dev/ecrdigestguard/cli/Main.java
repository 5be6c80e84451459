package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.config.ConfigurationException;
import dev.ecrdigestguard.failure.ServiceFailure;
import dev.ecrdigestguard.log.Log;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine.Command;
import picocli.CommandLine;
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
                CommandLine.HelpCommand.class})
public final class Main {

    public static final int OK = 0;
    public static final int FINDINGS = 1;
    public static final int BAD_INPUT = 2;
    public static final int AWS_FAILURE = 3;
    /** A bug: the stack trace goes to stderr. */
    public static final int INTERNAL_ERROR = 4;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line with the given streams and returns its exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        // stdout carries the command's result; diagnostics go to stderr.
        Log.setOutput(err);
        // The command prints its own result; the guard's log lines are for the function's logs, so only errors show.
        Log.setLevel(Log.Level.ERROR);
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(new StandardOutput(out));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            int status = exitStatus(e);
            cl.getErr().println(cl.getCommandName() + ": " + oneLine(e));
            if (status == INTERNAL_ERROR) {
                e.printStackTrace(cl.getErr());
            }
            return status;
        });
        return commandLine.execute(args);
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

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ');
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ecr-digest-guard " + (version == null ? "development build" : version)};
        }
    }
}
