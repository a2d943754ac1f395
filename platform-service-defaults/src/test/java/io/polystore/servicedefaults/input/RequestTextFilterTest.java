package io.polystore.servicedefaults.input;

import io.polystore.servicedefaults.input.RequestTextFilter.BadParameter;
import org.junit.jupiter.api.Test;

import static io.polystore.servicedefaults.input.RequestTextFilter.badQueryParameter;
import static org.assertj.core.api.Assertions.assertThat;

class RequestTextFilterTest {

    @Test
    void acceptsAnyValidlyEncodedTextWithoutNul() {
        assertThat(badQueryParameter(null)).isEmpty();
        assertThat(badQueryParameter("q=%E2%82%AC+and+%F0%9F%98%80&status=&flag&x=%27%3B%20DROP")).isEmpty();
    }

    @Test
    void namesTheParameterWithNulOrInvalidUtf8() {
        assertThat(badQueryParameter("ok=1&q=a%00b")).hasValue(new BadParameter("q", "must not contain the NUL character"));
        assertThat(badQueryParameter("q=%C3%28")).hasValue(new BadParameter("q", "must be percent-encoded UTF-8"));
        // The UTF-8 form of a lone surrogate is invalid UTF-8.
        assertThat(badQueryParameter("q=%ED%A0%80")).hasValue(new BadParameter("q", "must be percent-encoded UTF-8"));
        assertThat(badQueryParameter("q=%zz")).hasValue(new BadParameter("q", "must be percent-encoded UTF-8"));
        assertThat(badQueryParameter("q=100%")).hasValue(new BadParameter("q", "must be percent-encoded UTF-8"));
    }

    @Test
    void aBadNameIsNotEchoed() {
        assertThat(badQueryParameter("a%00b=1")).hasValueSatisfying(bad -> assertThat(bad.name()).isEqualTo("query string"));
    }

    @Test
    void textRulesAllowPairedSurrogatesAndRefuseLoneOnes() {
        assertThat(TextRules.problem("\uD83D\uDE00 ok")).isEmpty();
        assertThat(TextRules.problem("x\uD800")).isPresent();
        assertThat(TextRules.problem("\uDC00x")).isPresent();
        assertThat(TextRules.problem("\uD800\uD800\uDC00")).isPresent();
    }
}
