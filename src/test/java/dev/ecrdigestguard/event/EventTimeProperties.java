package dev.ecrdigestguard.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class EventTimeProperties {

    @Property
    void parsePlainUtc_readsWhatInstantParseReads(
            @ForAll @LongRange(min = 0, max = 253_402_300_799L) long epochSecond) {
        // GIVEN an instant written as EventBridge writes event times
        Instant time = Instant.ofEpochSecond(epochSecond);
        String text = time.toString();

        // WHEN the hand-written reader reads it THEN it gets what java.time's parser gets
        assertThat(EcrEventReader.parsePlainUtc(text)).isEqualTo(Instant.parse(text));
    }

    @Test
    void parsePlainUtc_leavesOtherFormsToInstantParse() {
        assertThat(EcrEventReader.parsePlainUtc("2022-12-22T09:41:12.5Z")).isNull();
        assertThat(EcrEventReader.parsePlainUtc("2022-12-22T09:41:12+01:00")).isNull();
        assertThat(EcrEventReader.parsePlainUtc("2022-12-2xT09:41:12Z")).isNull();
        assertThat(EcrEventReader.parsePlainUtc("2022-02-30T09:41:12Z")).as("no 30 February").isNull();
        assertThat(EcrEventReader.parsePlainUtc("2022-12-22T24:41:12Z")).isNull();
    }
}
