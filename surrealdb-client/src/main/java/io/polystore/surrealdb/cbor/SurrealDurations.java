package io.polystore.surrealdb.cbor;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SurrealQL's duration text, such as {@code 1w2d3h4m5s6ms7us8ns}, which the server may send as CBOR tag 13. */
final class SurrealDurations {

    private static final Pattern PART = Pattern.compile("([0-9]+)(ns|us|µs|ms|s|m|h|d|w|y)");

    private SurrealDurations() {
    }

    static Duration parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        Matcher matcher = PART.matcher(text);
        Duration total = Duration.ZERO;
        int position = 0;
        while (position < text.length()) {
            if (!matcher.find(position) || matcher.start() != position) {
                throw new IllegalArgumentException("not a SurrealQL duration: " + text);
            }
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "ns" -> Duration.ofNanos(amount);
                case "us", "µs" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                case "w" -> Duration.ofDays(Math.multiplyExact(amount, 7L));
                default -> Duration.ofDays(Math.multiplyExact(amount, 365L));
            });
            position = matcher.end();
        }
        return total;
    }
}
