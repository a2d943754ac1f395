package io.polystore.servicedefaults.input;

import io.polystore.servicedefaults.input.RequestTextFilter.BadParameter;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

import java.util.regex.Pattern;

import static io.polystore.servicedefaults.input.RequestTextFilter.badQueryParameter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void headerChecksAgreeWithSpringSecuritysFirewallOnEveryCodePoint() {
        // StrictHttpFirewall's own patterns (Spring Security 7), which the checks replace.
        Pattern names = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
        Pattern values = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + Character.toString(codePoint) + "b";
            assertThat(RequestTextFilter.allowedInHeaderName(text)).as("name with U+%04X", codePoint)
                    .isEqualTo(names.matcher(text).matches());
            assertThat(RequestTextFilter.allowedInHeaderValue(text)).as("value with U+%04X", codePoint)
                    .isEqualTo(values.matcher(text).matches());
        }
        assertThat(accepts(new StrictHttpFirewall(), "X-Text", "tab\tinside")).isTrue();
        assertThat(accepts(new StrictHttpFirewall(), "X-Text", "\u00e2\u0082\u00ac")).isFalse();
    }

    @Test
    void theServicesFirewallRefusesWhatTheFilterRefuses() {
        HttpFirewall firewall = new InputDefaults().httpFirewall();
        assertThat(accepts(firewall, "X-Text", "caf\u00c3\u00a9")).isTrue();
        assertThat(accepts(firewall, "X-Text", "tab\tinside")).isTrue();
        assertThat(accepts(firewall, "X-Text", "\u00e2\u0082\u00ac")).isFalse();
        assertThat(accepts(firewall, "X-\u0085Text", null)).isFalse();
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/products");
        request.addParameter("q\u0001", "x");
        assertThatThrownBy(() -> firewall.getFirewalledRequest(request).getParameterMap())
                .isInstanceOf(RequestRejectedException.class);
    }

    /** Whether the firewall lets the header be read: the name alone, with a harmless value, when value is null. */
    private static boolean accepts(HttpFirewall firewall, String name, String value) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/products");
        request.addHeader(name, value == null ? "x" : value);
        try {
            firewall.getFirewalledRequest(request).getHeader(name);
            return true;
        } catch (RequestRejectedException e) {
            return false;
        }
    }
}
