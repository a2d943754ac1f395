package io.polystore.order.placement.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFingerprintTest {

    @Test
    void theSameRequestHasTheSameFingerprintAndAnyChangeAnother() {
        String fingerprint = RequestFingerprint.of("EUR", List.of(new RequestFingerprint.Line("a", 1), new RequestFingerprint.Line("b", 2)));

        assertThat(RequestFingerprint.of("EUR", List.of(new RequestFingerprint.Line("a", 1), new RequestFingerprint.Line("b", 2))))
                .isEqualTo(fingerprint).hasSize(64);
        assertThat(RequestFingerprint.of("USD", List.of(new RequestFingerprint.Line("a", 1), new RequestFingerprint.Line("b", 2))))
                .isNotEqualTo(fingerprint);
        assertThat(RequestFingerprint.of("EUR", List.of(new RequestFingerprint.Line("a", 1), new RequestFingerprint.Line("b", 3))))
                .isNotEqualTo(fingerprint);
    }

    @Test
    void productIdsCannotImitateTheSeparators() {
        assertThat(RequestFingerprint.of("EUR", List.of(new RequestFingerprint.Line("a1x2\n1:b", 1))))
                .isNotEqualTo(RequestFingerprint.of("EUR", List.of(new RequestFingerprint.Line("a", 1), new RequestFingerprint.Line("b", 1))));
    }
}
