package io.polystore.servicedefaults.web;

import io.polystore.servicedefaults.problem.InvalidInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Opaque page cursors: where a page of a listing ended (the sort values of its last item), as text clients pass back
 * unchanged for the next page. The text is base64url of a JSON array of the values and a check over them and the
 * listing's name, so that a cursor that was edited, truncated or issued by another listing is refused as a 400
 * naming {@code cursor} instead of paging from somewhere else. The check is no secret: a cursor grants nothing, as
 * every page applies the caller's filters and rights again.
 *
 * @param <P> the position, e.g. a record of the last item's time and id
 */
public final class CursorCodec<P> {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final int CHECK_BYTES = 6;
    public static final String PARAMETER = "cursor";

    private final String listing;
    private final Function<P, List<String>> values;
    private final Function<List<String>, P> position;

    private CursorCodec(String listing, Function<P, List<String>> values, Function<List<String>, P> position) {
        this.listing = listing;
        this.values = values;
        this.position = position;
    }

    /**
     * @param listing  names the listing; cursors of another listing are refused
     * @param values   the position as text values
     * @param position the position from the values; it may throw any runtime exception for values it cannot read,
     *                 or an {@link InvalidInputException} with a reason of its own
     */
    public static <P> CursorCodec<P> of(String listing, Function<P, List<String>> values,
                                        Function<List<String>, P> position) {
        return new CursorCodec<>(listing, values, position);
    }

    public String encode(P at) {
        List<String> text = new ArrayList<>(values.apply(at));
        text.add(check(text));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(text));
    }

    /** @throws InvalidInputException naming {@code cursor} when the text is not a cursor this listing issued */
    public P decode(String cursor) {
        List<String> text;
        try {
            text = JSON.readValue(Base64.getUrlDecoder().decode(cursor), STRINGS);
        } catch (IllegalArgumentException | JacksonException e) {
            throw notIssued();
        }
        if (text == null || text.isEmpty() || text.contains(null)) {
            throw notIssued();
        }
        List<String> fields = text.subList(0, text.size() - 1);
        if (!check(fields).equals(text.getLast())) {
            throw notIssued();
        }
        try {
            return position.apply(List.copyOf(fields));
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw notIssued();
        }
    }

    private String check(List<String> fields) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(listing.getBytes(StandardCharsets.UTF_8));
            digest.update(JSON.writeValueAsBytes(fields));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest.digest(), CHECK_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private static InvalidInputException notIssued() {
        return new InvalidInputException(PARAMETER, "is not a cursor this API issued; pass the nextCursor of the previous "
                + "page unchanged");
    }
}
