package dev.ecrdigestguard.template;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation/SAM template written in YAML. The short forms ({@code !Ref X}, {@code !GetAtt A.B},
 * {@code !If [...]}, …) become the long JSON forms ({@code {"Ref": "X"}}, {@code {"Fn::GetAtt": ["A", "B"]}}), so the
 * result is the template as CloudFormation itself sees it, and can be validated as JSON.
 */
final class CloudFormationYaml {

    private static final List<String> FUNCTIONS = List.of("Ref", "Condition", "Sub", "GetAtt", "If", "Equals", "Not",
            "And", "Or", "Select", "Split", "Join", "FindInMap", "GetAZs", "ImportValue", "Base64", "Cidr",
            "Length", "ToJsonString", "Transform");

    private CloudFormationYaml() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Path file) {
        Yaml yaml = new Yaml(new IntrinsicConstructor(new LoaderOptions()));
        try (Reader reader = Files.newBufferedReader(file)) {
            return (Map<String, Object>) yaml.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static final class IntrinsicConstructor extends SafeConstructor {

        IntrinsicConstructor(LoaderOptions options) {
            super(options);
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic(function));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String function;

            Intrinsic(String function) {
                this.function = function;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = constructScalar(scalar);
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                if (function.equals("GetAtt") && value instanceof String dotted) {
                    value = Arrays.asList(dotted.split("\\.", 2));
                }
                String key = function.equals("Ref") || function.equals("Condition") ? function : "Fn::" + function;
                return Map.of(key, value);
            }
        }
    }
}
