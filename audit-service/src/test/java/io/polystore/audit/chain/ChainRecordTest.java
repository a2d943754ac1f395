package io.polystore.audit.chain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class ChainRecordTest {

    private static final HexFormat HEX = HexFormat.of();

    static ChainRecord sample() {
        return new ChainRecord(1, "e-1", "io.polystore.audit.AccessDecided", "/gateway",
                Instant.parse("2026-01-31T12:00:00.000001Z"), Instant.parse("2026-01-31T12:00:00.5Z"), "ACCESS_ALLOW",
                null, HEX.parseHex("0102"), "{\"status\":200}", HEX.parseHex("ff"), ChainRecord.GENESIS_HASH, null);
    }

    @Test
    void theCanonicalFormIsExactlyAsDocumented() {
        String expected = ""
                + "00000019" + hex("polystore-audit-record/v1")
                + "0000000000000001"
                + "00000020" + "00".repeat(32)
                + "00000003" + hex("e-1")
                + "00000020" + hex("io.polystore.audit.AccessDecided")
                + "00000008" + hex("/gateway")
                + String.format("%016x", 1_769_860_800_000_001L)
                + String.format("%016x", 1_769_860_800_500_000L)
                + "0000000c" + hex("ACCESS_ALLOW")
                + "ffffffff"
                + "00000002" + "0102"
                + "0000000e" + hex("{\"status\":200}")
                + "00000001" + "ff";

        assertThat(HEX.formatHex(sample().canonicalForm().toByteArray())).isEqualTo(expected);
    }

    @Test
    void theRecordHashIsTheSha256OfTheCanonicalForm() {
        ChainRecord sealed = sample().sealed();

        // Pinned: a change to the canonical form would make every stored chain unverifiable.
        assertThat(HEX.formatHex(sealed.recordHash()))
                .isEqualTo("521615aff559841b024238a7b51640f6919c2f0b59a7304bd6ef877fbd0a492d");
    }

    @Test
    void everyFieldTakesPartInTheHash() {
        ChainRecord sample = sample();
        byte[] hash = sample.computeHash();

        assertThat(new ChainRecord(2, sample.eventId(), sample.eventType(), sample.source(), sample.occurredAt(),
                sample.recordedAt(), sample.action(), null, sample.subjectIndex(), sample.details(), sample.personal(),
                sample.previousHash(), null).computeHash()).isNotEqualTo(hash);
        assertThat(new ChainRecord(1, sample.eventId(), sample.eventType(), sample.source(), sample.occurredAt(),
                sample.recordedAt(), sample.action(), new byte[0], sample.subjectIndex(), sample.details(),
                sample.personal(), sample.previousHash(), null).computeHash()).isNotEqualTo(hash);
        assertThat(new ChainRecord(1, sample.eventId(), sample.eventType(), sample.source(), sample.occurredAt(),
                sample.recordedAt(), sample.action(), null, sample.subjectIndex(), sample.details(),
                HEX.parseHex("fe"), sample.previousHash(), null).computeHash()).isNotEqualTo(hash);
    }

    private static String hex(String text) {
        return HEX.formatHex(text.getBytes(StandardCharsets.UTF_8));
    }
}
