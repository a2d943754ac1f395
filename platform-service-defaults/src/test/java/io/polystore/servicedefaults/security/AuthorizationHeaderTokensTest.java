package io.polystore.servicedefaults.security;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The same token, or the same error, as Spring Security's own resolver for every header tried. */
class AuthorizationHeaderTokensTest {

    private final BearerTokenResolver spring = new DefaultBearerTokenResolver();
    private final BearerTokenResolver ours = new AuthorizationHeaderTokens();

    @Test
    void agreesWithSpringSecurityOnEveryCodePointInTheSchemeAndTheToken() {
        List<String> headers = new ArrayList<>();
        for (int c = 0; c <= 0x2FF; c++) {
            String character = Character.toString(c);
            headers.add("Bearer " + character);
            headers.add("Bearer eyJhbGciOi" + character + "JSUzI1NiJ9.e30.c2ln==");
            headers.add("Bearer abc" + character);
            headers.add("Bearer" + character + "abc");
            headers.add(character + "earer abc");
        }
        headers.add("Kelvin \u212Aearer abc");
        assertAgreeOn(headers);
    }

    @Test
    void agreesWithSpringSecurityOnSchemesPaddingAndRandomHeaders() {
        List<String> headers = new ArrayList<>(List.of("Bearer", "Bearer ", "bearer abc", "BEARER abc", "bEaReR a.b-c_d~e+f/g",
                "Bearer ==", "Bearer a=", "Bearer a==", "Bearer a=b", "Bearer  abc", "Bearer abc ", "Bearer abc\n",
                "Basic dXNlcjpwYXNz", "Bearerabc", "Bear abc", "", "Token abc"));
        Random random = new Random(15);
        String alphabet = "Bb eEaArR=aZ09-._~+/\t\n,;\"%é";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder header = new StringBuilder(random.nextBoolean() ? "Bearer " : "");
            for (int length = random.nextInt(12); length > 0; length--) {
                header.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            headers.add(header.toString());
        }
        assertAgreeOn(headers);
    }

    @Test
    void findsNoTokenWithoutTheHeader() {
        assertThat(ours.resolve(new MockHttpServletRequest())).isNull();
    }

    private void assertAgreeOn(List<String> headers) {
        for (String header : headers) {
            MockHttpServletRequest request = new MockHttpServletRequest();
            request.addHeader("Authorization", header);
            assertThat(outcome(ours, request)).as("Authorization: %s", header).isEqualTo(outcome(spring, request));
        }
    }

    /** The token, or the error's code and description. */
    private static String outcome(BearerTokenResolver resolver, MockHttpServletRequest request) {
        try {
            return "token " + resolver.resolve(request);
        } catch (OAuth2AuthenticationException e) {
            return "error " + e.getError().getErrorCode() + ": " + e.getError().getDescription();
        }
    }
}
