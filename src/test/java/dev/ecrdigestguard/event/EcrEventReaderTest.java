package dev.ecrdigestguard.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.ecrdigestguard.image.AccountRegion;
import dev.ecrdigestguard.image.Digest;
import dev.ecrdigestguard.image.RepositoryName;
import dev.ecrdigestguard.image.Tag;
import dev.ecrdigestguard.testing.HostileEvents;
import dev.ecrdigestguard.testing.SampleEvents;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EcrEventReaderTest {

    @Test
    void read_collisionSample_givesThePushWithEveryField() {
        EventReading reading = EcrEventReader.read(SampleEvents.open(SampleEvents.COLLISION));

        assertThat(reading).isEqualTo(new EventReading.Push(new PushEvent(
                "0a6b2c3d-4e5f-4071-8a9b-0c1d2e3f4a5b",
                Instant.parse("2022-12-22T09:41:12Z"),
                "123456789012",
                "eu-west-1",
                RepositoryName.of("shop-api"),
                Digest.of("sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c"),
                Tag.of("tag-1-253-0"),
                Optional.of("application/vnd.docker.distribution.manifest.v2+json"),
                Optional.of("application/vnd.docker.container.image.v1+json"))));
    }

    static Stream<Arguments> everySample() {
        return Stream.of(
                Arguments.of(SampleEvents.COLLISION, EventReading.Push.class, "tag-1-253-0"),
                Arguments.of(SampleEvents.PRODUCTION_UNIQUE, EventReading.Push.class, "tag-1-254-0"),
                Arguments.of(SampleEvents.NON_PRODUCTION, EventReading.Push.class, "git-325dc21f"),
                Arguments.of(SampleEvents.UNKNOWN_FIELDS, EventReading.Push.class, "git-a714d9b2"),
                Arguments.of(SampleEvents.UNTAGGED, EventReading.Ignored.class, "no image-tag"),
                Arguments.of(SampleEvents.EMPTY_TAG, EventReading.Ignored.class, "no image-tag"),
                Arguments.of(SampleEvents.FAILED, EventReading.Ignored.class, "FAILED"),
                Arguments.of(SampleEvents.DELETE, EventReading.Deletion.class, "git-684254dd"),
                Arguments.of(SampleEvents.DELETE_PRODUCTION, EventReading.Deletion.class, "tag-1-253-0"),
                Arguments.of(SampleEvents.UPDATE_STORAGE_CLASS, EventReading.Ignored.class, "UPDATE_STORAGE_CLASS"),
                Arguments.of(SampleEvents.OTHER_DETAIL_TYPE, EventReading.Ignored.class, "ECR Image Scan"),
                Arguments.of("malformed-not-json.json", EventReading.Malformed.class, "not"),
                Arguments.of("malformed-no-digest.json", EventReading.Malformed.class, "detail.image-digest is missing"),
                Arguments.of("malformed-bad-digest.json", EventReading.Malformed.class, "sha256:not-a-digest"),
                Arguments.of("malformed-bad-repository.json", EventReading.Malformed.class, "Shop API!"),
                Arguments.of("malformed-bad-tag.json", EventReading.Malformed.class, "-bad tag"));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("everySample")
    void read_sample_givesItsKind_withAReasonNamingTheCause(String file, Class<?> kind, String mentioned) {
        EventReading reading = EcrEventReader.read(SampleEvents.open(file));

        assertThat(reading).isInstanceOf(kind);
        String described = reading instanceof EventReading.Push push ? push.event().tag().value()
                : reading instanceof EventReading.Deletion deletion ? deletion.event().tag().value()
                : reading instanceof EventReading.Ignored ignored ? ignored.reason()
                : ((EventReading.Malformed) reading).reason();
        assertThat(described).contains(mentioned);
    }

    @Test
    void everySampleFile_isCoveredByTheTable() {
        List<String> covered = new ArrayList<>();
        everySample().forEach(arguments -> covered.add((String) arguments.get()[0]));

        assertThat(covered).containsExactlyInAnyOrderElementsOf(SampleEvents.all());
    }

    /**
     * The runtime's own serialisation ({@code aws-lambda-java-events}, as {@code EventLoader} uses it) must read the
     * same envelope and detail as our streaming reader: {@code detail-type}, {@code image-tag} and friends are
     * mapped by their real names there.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonSamples")
    void read_agreesWithTheRuntimeSerialisation_onEnvelopeAndDetail(String file) {
        ScheduledEvent runtime = EventLoader.loadScheduledEvent(SampleEvents.path(file).toString());
        EventReading reading = EcrEventReader.read(SampleEvents.open(file));

        assertThat(runtime.getSource()).isEqualTo("aws.ecr");
        if (reading instanceof EventReading.Push push) {
            PushEvent event = push.event();
            assertThat(event.eventId()).isEqualTo(runtime.getId());
            assertThat(event.account()).isEqualTo(runtime.getAccount());
            assertThat(event.region()).isEqualTo(runtime.getRegion());
            assertThat(event.time().toEpochMilli()).isEqualTo(runtime.getTime().getMillis());
            assertThat(runtime.getDetailType()).isEqualTo(EcrEventReader.DETAIL_TYPE);
            assertThat(runtime.getDetail())
                    .containsEntry("action-type", "PUSH")
                    .containsEntry("result", "SUCCESS")
                    .containsEntry("repository-name", event.repository().value())
                    .containsEntry("image-digest", event.digest().value())
                    .containsEntry("image-tag", event.tag().value());
        } else if (reading instanceof EventReading.Deletion deletion) {
            DeletionEvent event = deletion.event();
            assertThat(event.eventId()).isEqualTo(runtime.getId());
            assertThat(event.time().toEpochMilli()).isEqualTo(runtime.getTime().getMillis());
            assertThat(runtime.getDetail())
                    .containsEntry("action-type", "DELETE")
                    .containsEntry("result", "SUCCESS")
                    .containsEntry("repository-name", event.repository().value())
                    .containsEntry("image-digest", event.digest().value())
                    .containsEntry("image-tag", event.tag().value());
        } else if (reading instanceof EventReading.Ignored ignored) {
            assertThat(ignored.eventId()).isEqualTo(runtime.getId());
            boolean actionable = EcrEventReader.DETAIL_TYPE.equals(runtime.getDetailType())
                    && "PUSH".equals(runtime.getDetail().get("action-type"))
                    && "SUCCESS".equals(runtime.getDetail().get("result"))
                    && runtime.getDetail().get("image-tag") instanceof String tag && !tag.isEmpty();
            assertThat(actionable).as("the runtime sees an actionable push in %s", file).isFalse();
        } else {
            assertThat(((EventReading.Malformed) reading).eventId()).isEqualTo(runtime.getId());
        }
    }

    static Stream<String> jsonSamples() {
        return SampleEvents.all().stream().filter(name -> !name.equals("malformed-not-json.json"));
    }

    @Test
    void read_ignoresUnknownFieldsAnywhere_includingNestedAndNull() {
        String event = """
                {"version":"0","id":"e1","detail-type":"ECR Image Action","source":"aws.ecr","account":"123456789012",
                 "time":"2022-12-22T09:41:12Z","region":"eu-west-1","resources":[{"arn":"x"}],"future":{"a":[1,{"b":2}]},
                 "detail":{"result":"SUCCESS","action-type":"PUSH","repository-name":"team/shop-api",
                   "image-digest":"sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c",
                   "image-tag":"v1.2.3","manifest-media-type":null,"extra":[["x"]],"deep":{"x":{"y":1}}}}
                """;

        EventReading reading = read(event);

        assertThat(reading).isInstanceOfSatisfying(EventReading.Push.class, push -> {
            assertThat(push.event().repository().value()).isEqualTo("team/shop-api");
            assertThat(push.event().tag().value()).isEqualTo("v1.2.3");
            assertThat(push.event().manifestMediaType()).isEmpty();
        });
    }

    @Test
    void read_jsonThatIsNotAnObject_isMalformed() {
        assertThat(read("[1,2]")).isInstanceOf(EventReading.Malformed.class);
        assertThat(read("")).isInstanceOf(EventReading.Malformed.class);
        assertThat(read("{\"id\":\"x\",")).isInstanceOf(EventReading.Malformed.class);
    }

    @Test
    void read_badTime_isMalformed_namingTheValue() {
        String event = """
                {"id":"e2","detail-type":"ECR Image Action","source":"aws.ecr","time":"yesterday",
                 "account":"123456789012","region":"eu-west-1",
                 "detail":{"result":"SUCCESS","action-type":"PUSH","repository-name":"shop-api",
                   "image-digest":"sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c",
                   "image-tag":"tag-1"}}
                """;

        assertThat(read(event)).isEqualTo(new EventReading.Malformed("e2",
                "event time 'yesterday' is not an ISO-8601 instant such as 2022-12-15T09:57:20Z"));
    }

    /** The account and region choose the credentials and the client the repository is read with (issue 14). */
    static Stream<Arguments> badRegistries() {
        return Stream.of(
                Arguments.of("\"account\":\"12345\",\"region\":\"eu-west-1\"",
                        "account '12345' is not a 12-digit AWS account id"),
                Arguments.of("\"account\":\"123456789012\",\"region\":\"Europe\"",
                        "region 'Europe' is not an AWS region such as eu-west-1"),
                Arguments.of("\"region\":\"eu-west-1\"", "event account is missing"),
                Arguments.of("\"account\":\"123456789012\"", "event region is missing"));
    }

    @ParameterizedTest
    @MethodSource("badRegistries")
    void read_pushWithoutAValidAccountOrRegion_isMalformed_namingTheField(String envelope, String reason) {
        String event = "{\"id\":\"e4\",\"detail-type\":\"ECR Image Action\",\"source\":\"aws.ecr\","
                + "\"time\":\"2022-12-22T09:41:12Z\"," + envelope + ",\"detail\":{\"result\":\"SUCCESS\","
                + "\"action-type\":\"PUSH\",\"repository-name\":\"shop-api\",\"image-tag\":\"tag-1\","
                + "\"image-digest\":\"sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c\"}}";

        assertThat(read(event)).isEqualTo(new EventReading.Malformed("e4", reason));
    }

    @Test
    void read_pushFromAnotherAccountAndRegion_namesItsRegistry() {
        String event = "{\"id\":\"e5\",\"detail-type\":\"ECR Image Action\",\"source\":\"aws.ecr\","
                + "\"time\":\"2022-12-22T09:41:12Z\",\"account\":\"111122223333\",\"region\":\"us-gov-west-1\","
                + "\"detail\":{\"result\":\"SUCCESS\",\"action-type\":\"PUSH\",\"repository-name\":\"shop-api\","
                + "\"image-tag\":\"tag-1\","
                + "\"image-digest\":\"sha256:ec1477a7420a97a789dd4b778a0a1141a6c6ba9314fce70599c134964121960c\"}}";

        assertThat(read(event)).isInstanceOfSatisfying(EventReading.Push.class, push ->
                assertThat(push.event().registry()).isEqualTo(AccountRegion.of("111122223333", "us-gov-west-1")));
    }

    @Test
    void read_otherSource_isIgnored() {
        assertThat(read("{\"id\":\"e3\",\"source\":\"aws.s3\",\"detail-type\":\"ECR Image Action\",\"detail\":{}}"))
                .isInstanceOfSatisfying(EventReading.Ignored.class,
                        ignored -> assertThat(ignored.reason()).contains("aws.s3"));
    }

    // ---- strictness: what EventBridge never sends is malformed, not guessed at (issue 12)

    private static String pushWith(String field, String rawJson) {
        return HostileEvents.with(field, rawJson);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "detail.image-tag        | 123                  | detail.image-tag must be a string, got a number 123",
            "detail.image-tag        | true                 | detail.image-tag must be a string, got a boolean true",
            "detail.image-tag        | [\"tag-1\"]         | detail.image-tag must be a string, got an array",
            "detail.repository-name  | 12345                | detail.repository-name must be a string, got a number",
            "detail.image-digest     | {\"a\":1}           | detail.image-digest must be a string, got an object",
            "detail.action-type      | 1                    | detail.action-type must be a string",
            "detail.result           | false                | detail.result must be a string",
            "detail.manifest-media-type | 7                 | detail.manifest-media-type must be a string",
            "source                  | 1                    | source must be a string",
            "detail-type             | [\"ECR Image Action\"] | detail-type must be a string, got an array",
            "time                    | 1671702072           | time must be a string, got a number",
            "account                 | 123456789012         | account must be a string",
            "region                  | {}                   | region must be a string",
            "id                      | 42                   | id must be a string, got a number 42"})
    void read_aFieldOfTheWrongType_isMalformed_namingFieldAndType(String field, String rawJson, String reason) {
        EventReading reading = read(pushWith(field, rawJson));

        assertThat(reading).isInstanceOfSatisfying(EventReading.Malformed.class,
                malformed -> assertThat(malformed.reason()).startsWith(reason));
    }

    @ParameterizedTest(name = "detail = {0}")
    @ValueSource(strings = {"\"oops\"", "null", "[]", "42"})
    void read_detailThatIsNotAnObject_isMalformed(String rawDetail) {
        String event = pushWith("detail.result", "\"SUCCESS\"").replaceFirst("\"detail\":\\{.*\\}\\}$",
                "\"detail\":" + rawDetail + "}");

        assertThat(read(event)).isInstanceOfSatisfying(EventReading.Malformed.class,
                malformed -> assertThat(malformed.reason()).startsWith("detail must be an object, got "));
    }

    @Test
    void read_withoutDetail_orWithoutActionType_isMalformed() {
        String noDetail = "{\"id\":\"e\",\"source\":\"aws.ecr\",\"detail-type\":\"ECR Image Action\"}";

        assertThat(read(noDetail)).isEqualTo(new EventReading.Malformed("e", "detail is missing"));
        assertThat(read(pushWith("detail.action-type", null)))
                .isEqualTo(new EventReading.Malformed("0a6b2c3d-4e5f-4071-8a9b-0c1d2e3f4a5b",
                        "detail.action-type is missing"));
    }

    @Test
    void read_nullId_onAValidPush_isThePushWithoutAnId() {
        EventReading reading = read(pushWith("id", "null"));

        assertThat(reading).isInstanceOfSatisfying(EventReading.Push.class,
                push -> assertThat(push.event().eventId()).isEmpty());
    }

    @Test
    void read_hugeId_isMalformed_andEchoedShort() {
        EventReading reading = read(pushWith("id", "\"" + "i".repeat(1_000_000) + "\""));

        assertThat(reading).isInstanceOfSatisfying(EventReading.Malformed.class, malformed -> {
            assertThat(malformed.eventId()).isEmpty();
            assertThat(malformed.reason()).startsWith("id 'iii").contains("1000000 characters")
                    .hasSizeLessThan(200);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "account | \"12345\"      | account '12345' is not a 12-digit AWS account id",
            "region  | \"EU WEST\"    | region 'EU WEST' is not an AWS region",
            "id      | \"a b\"        | id 'a b' is not an event id",
            "id      | \"<!channel>\"  | id '<!channel>' is not an event id"})
    void read_envelopeValuesThatReachTheAlert_areChecked(String field, String rawJson, String reason) {
        assertThat(read(pushWith(field, rawJson))).isInstanceOfSatisfying(EventReading.Malformed.class,
                malformed -> assertThat(malformed.reason()).startsWith(reason));
    }

    @Test
    void read_duplicateKeys_areMalformed_atAnyDepth() {
        String twiceInDetail = pushWith("detail.image-tag", "\"git-1\",\"image-tag\":\"tag-1-253-0\"");
        String twiceInEnvelope = pushWith("source", "\"aws.s3\",\"source\":\"aws.ecr\"");
        String twoDetails = pushWith("region", "\"eu-west-1\",\"detail\":{\"image-tag\":\"tag-1\"}");
        String twiceInAnUnknownField = pushWith("resources", "[{\"a\":1,\"a\":2}]");

        for (String event : List.of(twiceInDetail, twiceInEnvelope, twoDetails, twiceInAnUnknownField)) {
            assertThat(read(event)).isInstanceOfSatisfying(EventReading.Malformed.class,
                    malformed -> assertThat(malformed.reason()).contains("Duplicate field"));
        }
    }

    @ParameterizedTest(name = "followed by {0}")
    @ValueSource(strings = {"{}", "garbage", "[1]", "{\"source\":\"aws.ecr\"}", "\"x\""})
    void read_contentAfterTheEvent_isMalformed(String trailer) {
        String event = pushWith("region", "\"eu-west-1\"") + "\n" + trailer;

        assertThat(read(event)).isInstanceOfSatisfying(EventReading.Malformed.class,
                malformed -> assertThat(malformed.reason()).containsAnyOf("trailing content", "not valid JSON"));
    }

    @Test
    void read_trailingWhitespace_isFine() {
        assertThat(read(pushWith("region", "\"eu-west-1\"") + " \n\t\r\n"))
                .isInstanceOf(EventReading.Push.class);
    }

    @ParameterizedTest(name = "time {0}")
    @ValueSource(strings = {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "1969-12-31T23:59:59Z"})
    void read_timeOutsideTheSupportedRange_isMalformed(String time) {
        assertThat(read(pushWith("time", "\"" + time + "\""))).isInstanceOfSatisfying(EventReading.Malformed.class,
                malformed -> assertThat(malformed.reason()).startsWith("event time ")
                        .contains("outside the supported range"));
    }

    @Test
    void read_bodyLargerThanAnyEvent_isMalformed_withoutReadingIt() {
        byte[] tenMegabytes = (pushWith("resources", "[\"" + "x".repeat(10 * 1024 * 1024) + "\"]"))
                .getBytes(StandardCharsets.UTF_8);

        assertThat(EcrEventReader.read(new ByteArrayInputStream(tenMegabytes)))
                .isEqualTo(new EventReading.Malformed("", "event is larger than 1024 KB; EventBridge events are at "
                        + "most 256 KB"));
    }

    @Test
    void read_deepNesting_isMalformed() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertThat(read(pushWith("resources", deep))).isInstanceOfSatisfying(EventReading.Malformed.class,
                malformed -> assertThat(malformed.reason()).contains("nesting depth"));
    }

    @Test
    void read_invalidUtf8_isMalformed() {
        byte[] event = pushWith("detail.image-tag", "\"tag-\u00e9\"").replace("\u00e9", "@")
                .getBytes(StandardCharsets.UTF_8);
        int at = new String(event, StandardCharsets.UTF_8).indexOf('@');
        event[at] = (byte) 0xC3;

        assertThat(EcrEventReader.read(new ByteArrayInputStream(event))).isInstanceOf(EventReading.Malformed.class);
    }

    @Test
    void read_sqsOrSnsEnvelope_isMalformed_withAHint() {
        String event = pushWith("region", "\"eu-west-1\"").replace("\"", "\\\"");
        String sqs = "{\"Records\":[{\"messageId\":\"m\",\"body\":\"" + event + "\",\"eventSource\":\"aws:sqs\"}]}";
        String sns = "{\"Type\":\"Notification\",\"MessageId\":\"m\",\"Message\":\"" + event + "\"}";

        for (String envelope : List.of(sqs, sns)) {
            assertThat(read(envelope)).isInstanceOfSatisfying(EventReading.Malformed.class,
                    malformed -> assertThat(malformed.reason()).startsWith("not an EventBridge event")
                            .contains("SQS or SNS"));
        }
    }

    @Test
    void read_controlCharactersInIgnoredValues_areEchoedEscaped() {
        EventReading reading = read(pushWith("detail.action-type", "\"DEL\\u001b[2J\\rETE\""));

        assertThat(reading).isInstanceOfSatisfying(EventReading.Ignored.class, ignored -> assertThat(ignored.reason())
                .isEqualTo("action-type is DEL\\u001B[2J\\rETE, neither PUSH nor DELETE"));
    }

    private static EventReading read(String json) {
        return EcrEventReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
