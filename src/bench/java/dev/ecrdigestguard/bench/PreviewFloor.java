package dev.ecrdigestguard.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor of the preview benchmark: the least a preview of a {@code describe-images} file can do in a JVM. It
 * stream-reads the file with jackson-core (every token once, the values preview prints taken as strings) and writes,
 * per image, an object with preview's fields and about its size to stdout through a buffered byte stream: no
 * validation, no timestamps, no rules, no ranking. {@link PreviewBenchmark} runs it beside {@code preview}.
 *
 * <p>{@code java -cp … dev.ecrdigestguard.bench.PreviewFloor describe-images.json > out.json}
 */
public final class PreviewFloor {

    private PreviewFloor() {
    }

    public static void main(String[] args) throws IOException {
        JsonFactory factory = new JsonFactory();
        long images = 0;
        try (InputStream in = Files.newInputStream(Path.of(args[0]));
                JsonParser parser = factory.createParser(in);
                OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
                JsonGenerator json = factory.createGenerator(stdout)) {
            json.writeStartObject();
            json.writeArrayFieldStart("images");
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME && "imageDetails".equals(parser.currentName())) {
                    parser.nextToken();
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        writeImage(parser, json, images++);
                    }
                }
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeRaw('\n');
        }
        System.err.println(images + " images");
    }

    /**
     * Reads one image detail and writes an object as large as preview's: the rule fields of an image ranked by a count
     * rule on every third image (preview writes numbers for those and nulls for the others).
     */
    private static void writeImage(JsonParser parser, JsonGenerator json, long number) throws IOException {
        String digest = null;
        String pushedAt = null;
        String status = null;
        List<String> tags = new ArrayList<>(3);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "imageDigest" -> digest = parser.getText();
                case "imagePushedAt" -> pushedAt = parser.getText();
                case "imageStatus" -> status = parser.getText();
                case "imageTags" -> {
                    while (parser.nextToken() == JsonToken.VALUE_STRING) {
                        tags.add(parser.getText());
                    }
                }
                default -> {
                    if (value.isStructStart()) {
                        parser.skipChildren();
                    }
                }
            }
        }
        json.writeStartObject();
        json.writeStringField("imageDigest", digest);
        json.writeArrayFieldStart("imageTags");
        for (String tag : tags) {
            json.writeString(tag);
        }
        json.writeEndArray();
        json.writeStringField("action", "EXPIRE");
        json.writeNumberField("rulePriority", 5);
        json.writeStringField("ruleDescription", "Expire after 90 days");
        if (number % 3 == 0) {
            json.writeNumberField("rank", number);
            json.writeNumberField("countNumber", 500);
            json.writeNumberField("headroom", 500 - number);
        } else {
            json.writeNullField("rank");
            json.writeNullField("countNumber");
            json.writeNullField("headroom");
        }
        // preview writes the instant in UTC ("2024-06-01T09:57:20Z"); the CLI's text is longer, so keep its length.
        json.writeStringField("imagePushedAt", pushedAt == null ? null : pushedAt.substring(0, 19) + "Z");
        json.writeStringField("storageClass", "ARCHIVED".equals(status) ? "ARCHIVE" : "STANDARD");
        json.writeEndObject();
    }
}
