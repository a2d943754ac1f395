package io.polystore.servicedefaults.input;

import io.polystore.servicedefaults.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Optional;

/**
 * Refuses with 400 problem details naming the input, before anything reads it:
 * <ul>
 * <li>a header name or value with control characters (C0 or C1, e.g. the bytes of a UTF-8 {@code €} read as
 * ISO-8859-1, as HTTP headers are; a value may hold a tab) or unassigned code points. Spring Security's firewall
 * has the same rules but applies them when a header is first read, deep inside whatever reads it (the gateway
 * forwarding it, a controller), where it surfaced as a 500;</li>
 * <li>a {@code Content-Type} that is no media type (400) or a wildcard such as {@code *}{@code /*} (415), which Spring
 * refuses only where it first parses it, as a 500 at the gateway;</li>
 * <li>a query parameter that is not valid percent-encoded UTF-8 or breaks {@link TextRules} ({@code %00} would
 * otherwise reach a store).</li>
 * </ul>
 * Only the query string is read, never a form body, which would be consumed before the gateway could forward it.
 */
final class RequestTextFilter extends OncePerRequestFilter {

    private final ProblemResponses problems;

    RequestTextFilter(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (String name : Collections.list(request.getHeaderNames())) {
            if (!allowedInHeaderName(name)) {
                problems.write(response, HttpStatus.BAD_REQUEST, "A header name holds control characters.", null);
                return;
            }
            for (String value : Collections.list(request.getHeaders(name))) {
                if (!allowedInHeaderValue(value)) {
                    problems.writeInvalid(request, response, name,
                            "must not contain control characters (headers are ISO-8859-1 text; encode other text)");
                    return;
                }
            }
        }
        String contentType = request.getContentType();
        if (contentType != null) {
            try {
                MediaType type = MediaType.parseMediaType(contentType);
                if (type.isWildcardType() || type.isWildcardSubtype()) {
                    problems.write(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                            "Content-Type must name the body's media type, not a wildcard.");
                    return;
                }
            } catch (InvalidMediaTypeException e) {
                problems.writeInvalid(request, response, HttpHeaders.CONTENT_TYPE, "is not a media type");
                return;
            }
        }
        Optional<BadParameter> bad = badQueryParameter(request.getQueryString());
        if (bad.isPresent()) {
            problems.writeInvalid(request, response, bad.get().name(), bad.get().reason());
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * Spring Security's {@code StrictHttpFirewall} rules for header names (no control character, no unassigned code
     * point) and values (the same, but a tab is allowed), as loops: its regular expressions, run here and again by the
     * firewall on every header read, were most of what a product read spent matching patterns (catalog-service's
     * README measures it).
     */
    static boolean allowedInHeaderName(String name) {
        return assignedAndNoControl(name, false);
    }

    static boolean allowedInHeaderValue(String value) {
        return assignedAndNoControl(value, true);
    }

    private static boolean assignedAndNoControl(String text, boolean tabAllowed) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if ((codePoint < 0x20 || codePoint >= 0x7F) && !(tabAllowed && codePoint == '\t')) {
                int type = Character.getType(codePoint);
                if (type == Character.CONTROL || type == Character.UNASSIGNED) {
                    return false;
                }
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    record BadParameter(String name, String reason) {
    }

    /** The first offending parameter: its name (or "query string" when the name is the problem) and the reason. */
    static Optional<BadParameter> badQueryParameter(String query) {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            Optional<String> name = decoded(equals < 0 ? pair : pair.substring(0, equals));
            if (name.isEmpty() || TextRules.problem(name.get()).isPresent()) {
                return Optional.of(new BadParameter("query string", "a parameter name is not valid percent-encoded text"));
            }
            Optional<String> value = decoded(equals < 0 ? "" : pair.substring(equals + 1));
            if (value.isEmpty()) {
                return Optional.of(new BadParameter(name.get(), "must be percent-encoded UTF-8"));
            }
            Optional<String> problem = TextRules.problem(value.get());
            if (problem.isPresent()) {
                return Optional.of(new BadParameter(name.get(), problem.get()));
            }
        }
        return Optional.empty();
    }

    /** The form-encoded text ({@code +} a space, {@code %XX} a byte) as UTF-8, empty when it is not. */
    private static Optional<String> decoded(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
                if (low < 0) {
                    return Optional.empty();
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
