package dev.ecrdigestguard.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecyclePolicyFileTest {

    @TempDir
    Path folder;

    @Test
    void read_acceptsAFileWithAByteOrderMark_asWindowsEditorsWriteIt() throws IOException {
        Path file = folder.resolve("policy.json");
        Files.write(file, ("\uFEFF" + LifecyclePolicyParserTest.STORY_POLICY).getBytes(StandardCharsets.UTF_8));

        assertThat(LifecyclePolicyFile.read(file).rules()).hasSize(2);
    }

    @Test
    void read_refusesAFileFarLargerThanAnyPolicy_withoutReadingIt() throws IOException {
        // GIVEN a sparse 4 GB file: reading it would exhaust any heap
        Path file = folder.resolve("huge.json");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(4L * 1024 * 1024 * 1024);
        }

        assertThatThrownBy(() -> LifecyclePolicyFile.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lifecycle policy " + file + " is 4294967296 bytes; ECR accepts a policy of at most 30720 "
                        + "characters");
    }

    @Test
    void read_namesAFileThatIsNotUtf8() throws IOException {
        Path file = folder.resolve("latin1.json");
        Files.write(file, new byte[] {'{', (byte) 0xE9, '}'});

        assertThatThrownBy(() -> LifecyclePolicyFile.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lifecycle policy " + file + " is not UTF-8 text");
    }
}
