package dev.ecrdigestguard.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code template.yaml} checked with the real tools of the machine image, cfn-lint and the SAM translator, by
 * {@code src/it/scripts/check-template.py}: cfn-lint clean as written, every String parameter constrained and its
 * samples judged by its AllowedPattern, every condition made true and false, and each of those configurations
 * transformed by the translator, linted, and its event patterns valid JSON. The check is generic: a new parameter
 * needs samples in {@code src/test/resources/template/parameter-samples.json}, nothing more.
 *
 * <p>A missing tool fails the build (it never skips): both ship on the machine image the build runs on.
 */
class TemplateToolsIT {

    private static final Path SCRIPT = Path.of("src/it/scripts/check-template.py");
    private static final Path TEMPLATE = Path.of("template.yaml");
    private static final Path SAMPLES = Path.of("src/test/resources/template/parameter-samples.json");

    @TempDir
    Path work;

    record Run(int status, String output) { }

    static Run python(String... args) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(args)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("python ends").isTrue();
        return new Run(process.exitValue(), output);
    }

    @BeforeAll
    static void theToolsAreInstalled() throws Exception {
        Run tools;
        try {
            tools = python("python3", "-c", "import cfnlint.version, samtranslator; "
                    + "print('cfn-lint', cfnlint.version.__version__, 'aws-sam-translator', samtranslator.__version__)");
        } catch (IOException e) {
            throw new AssertionError("python3 is missing: the template checks need it, with cfn-lint and "
                    + "aws-sam-translator (all ship on the project's machine image)", e);
        }
        assertThat(tools.status()).as("cfn-lint and aws-sam-translator importable by python3:%n%s", tools.output())
                .isZero();
        System.out.println(tools.output().strip());
    }

    @Test
    void template_passesCfnLintAndTheSamTranslator_inEveryConfigurationOfItsConditions() throws Exception {
        Run run = python("python3", SCRIPT.toString(), TEMPLATE.toString(), SAMPLES.toString());

        System.out.println(run.output());
        assertThat(run.status()).as("check-template.py:%n%s", run.output()).isZero();
        assertThat(run.output()).contains("template checked: cfn-lint clean");
        assertThat(run.output().lines().filter(line -> line.startsWith("condition "))).allSatisfy(line ->
                assertThat(line).endsWith(": false and true"));
    }

    /** The checker is no rubber stamp: each of these defects, made in a copy of the template, fails it. */
    @Test
    void theCheck_failsOnEachKindOfDefect() throws Exception {
        String template = Files.readString(TEMPLATE);
        List<Defect> defects = List.of(
                new Defect("an unconstrained String parameter",
                        template.replace("    AllowedPattern: '^$|^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}"
                                + "(,[A-Za-z0-9_][A-Za-z0-9._-]{0,127})*$'\n", ""),
                        "parameter ProductionTagPrefixes: a String needs an AllowedPattern"),
                new Defect("a pattern that lets an empty prefix through",
                        template.replace("(,[A-Za-z0-9_][A-Za-z0-9._-]{0,127})*$'", "(,[A-Za-z0-9_.-]*)*$'"),
                        "AllowedPattern accepts 'tag-,'"),
                new Defect("an event pattern that is not JSON",
                        template.replace("'[{\"exists\":true}]'", "'[{\"exists\":true}'"),
                        "PushEventsRule.EventPattern does not resolve to JSON"),
                new Defect("a condition no configuration makes true",
                        template.replace("Conditions:\n", "Conditions:\n  Never: !Equals [!Ref Mode, NEVER]\n"),
                        "condition Never is never true"),
                new Defect("something cfn-lint refuses",
                        template.replace("      MessageRetentionPeriod: 1209600", "      MessageRetentionPeriod: 5"),
                        "cfn-lint E"));
        for (Defect defect : defects) {
            assertThat(defect.template()).as(defect.name() + ": the defect was made").isNotEqualTo(template);
            Path copy = Files.writeString(work.resolve("template.yaml"), defect.template());

            Run run = python("python3", SCRIPT.toString(), copy.toString(), SAMPLES.toString());

            assertThat(run.status()).as("%s:%n%s", defect.name(), run.output()).isEqualTo(1);
            assertThat(run.output()).as(defect.name()).contains(defect.problem());
        }
    }

    private record Defect(String name, String template, String problem) { }
}
