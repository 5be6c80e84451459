package dev.ecrdigestguard.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecrdigestguard.image.AccountRegion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The guard's own sweep events: told apart from ECR's by their source, and read strictly. */
class SweepEventReaderTest {

    static final String TICK = "{\"source\":\"ecr-digest-guard\",\"detail-type\":\"Sweep\",\"version\":\"1\","
            + "\"time\":\"2024-03-01T06:00:00Z\",\"id\":\"d32c5kddcf5bb8c3\"}";
    static final SweepRequest.Slice SLICE = new SweepRequest.Slice(Instant.parse("2024-03-01T06:00:00Z"),
            AccountRegion.of("123456789012", "eu-west-1"), 2);

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void isSweepEvent_onlyForTheGuardsOwnSource() {
        assertThat(SweepEventReader.isSweepEvent(bytes(TICK))).isTrue();
        assertThat(SweepEventReader.isSweepEvent(bytes(SLICE.toJson()))).isTrue();
        assertThat(SweepEventReader.isSweepEvent(bytes(TICK.replace("ecr-digest-guard", "aws.ecr")))).isFalse();
        assertThat(SweepEventReader.isSweepEvent(bytes("{\"detail\":{\"source\":\"ecr-digest-guard\"}}"))).isFalse();
        assertThat(SweepEventReader.isSweepEvent(bytes("not json"))).isFalse();
    }

    @Test
    void read_theSchedulesTick_andTheHandOver() {
        assertThat(SweepEventReader.read(bytes(TICK))).isEqualTo(new SweepEventReader.Reading.Request(
                new SweepRequest.Scheduled(Instant.parse("2024-03-01T06:00:00Z"), "d32c5kddcf5bb8c3")));
        assertThat(SweepEventReader.read(bytes(SLICE.toJson())))
                .isEqualTo(new SweepEventReader.Reading.Request(SLICE));
    }

    static Stream<Arguments> malformed() {
        String slice = SLICE.toJson();
        return Stream.of(
                Arguments.of(TICK.replace("}", ",\"extra\":\"x\"}"), "extra is not a field of a sweep event"),
                Arguments.of(TICK.replace(",\"id\":\"d32c5kddcf5bb8c3\"", ""), "id is missing"),
                Arguments.of(TICK.replace("\"version\":\"1\"", "\"version\":\"2\""), "version is '2'"),
                Arguments.of(TICK.replace("\"Sweep\"", "\"Sweep Everything\""), "detail-type is 'Sweep Everything'"),
                Arguments.of(TICK.replace("2024-03-01T06:00:00Z", "yesterday"), "time 'yesterday'"),
                Arguments.of(TICK.replace("2024-03-01T06:00:00Z", "1999-03-01T06:00:00Z"), "not a time the sweep"),
                Arguments.of(TICK.replace("d32c5kddcf5bb8c3", "<!channel>"), "id is not a schedule execution id"),
                Arguments.of(TICK.replace("}", ",\"id\":\"again\"}"), "id appears twice"),
                Arguments.of(slice.replace("\"step\":2", "\"step\":-1"), "detail.step -1"),
                Arguments.of(slice.replace("\"step\":2", "\"step\":\"2\""), "detail.step is missing or not a whole"),
                Arguments.of(slice.replace("123456789012", "12345"), "account"),
                Arguments.of(slice.replace("eu-west-1", "Europe"), "region"),
                Arguments.of(slice.replace("\"step\":2", "\"step\":2,\"more\":{\"deep\":1}"), "nested too deep"),
                Arguments.of("[" + TICK + "]", "not a JSON object"),
                Arguments.of(TICK + TICK, "content after its object"),
                Arguments.of(TICK.replace("}", ",\"pad\":\"" + "x".repeat(5000) + "\"}"), "larger than 4096 bytes"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void read_refusesAnythingElse_namingTheField(String event, String reason) {
        SweepEventReader.Reading reading = SweepEventReader.read(bytes(event));

        assertThat(reading).isInstanceOfSatisfying(SweepEventReader.Reading.Malformed.class,
                malformed -> assertThat(malformed.reason()).contains(reason));
    }
}
