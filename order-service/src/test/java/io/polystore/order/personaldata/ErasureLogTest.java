package io.polystore.order.personaldata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ErasureLogTest {

    @TempDir
    Path directory;

    @Test
    void readsBackTheErasedKeysInOrderAndSkipsALineCutOffByACrash() throws Exception {
        ErasureLog log = new ErasureLog(directory.resolve("backups").resolve("erasures.log"));
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        log.append(first, "alice", Instant.parse("2026-05-01T12:00:00Z"));
        log.append(second, "bob with spaces\nand a newline", Instant.parse("2026-05-01T12:00:01Z"));
        Files.writeString(log.file(), "2026-05-01T12:00:02Z " + UUID.randomUUID(), StandardOpenOption.APPEND);

        assertThat(log.erasedKeys()).containsExactly(first, second);
        assertThat(Files.readAllLines(log.file())).hasSize(3);
    }

    @Test
    void noFileMeansNoErasures() {
        assertThat(new ErasureLog(directory.resolve("none.log")).erasedKeys()).isEmpty();
    }
}
