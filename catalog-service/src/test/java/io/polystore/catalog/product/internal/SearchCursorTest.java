package io.polystore.catalog.product.internal;

import io.polystore.catalog.product.ProductSearch.Sort;
import io.polystore.servicedefaults.problem.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchCursorTest {

    @Test
    void roundTripsNameAndPriceCursors() {
        SearchCursor byName = new SearchCursor(Sort.NAME, "Ωmega 'quoted'; --", null, "abc");
        SearchCursor byPrice = new SearchCursor(Sort.PRICE, null, new BigDecimal("10.50"), "def");

        assertThat(SearchCursor.decode(byName.encode(), Sort.NAME)).isEqualTo(byName);
        assertThat(SearchCursor.decode(byPrice.encode(), Sort.PRICE)).isEqualTo(byPrice);
        assertThat(byName.encode()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void refusesTamperedOrMismatchedCursors() {
        String byName = new SearchCursor(Sort.NAME, "a", null, "b").encode();
        String notJson = Base64.getUrlEncoder().encodeToString("nope".getBytes());
        String edited = Base64.getUrlEncoder().encodeToString(new String(Base64.getUrlDecoder().decode(byName))
                .replace("NAME", "PRICE").getBytes());

        for (String cursor : new String[]{"%%%", notJson, edited}) {
            assertThatThrownBy(() -> SearchCursor.decode(cursor, Sort.PRICE))
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            e -> assertThat(e.problems().getFirst().field()).isEqualTo("cursor"));
        }
        assertThatThrownBy(() -> SearchCursor.decode(byName, Sort.PRICE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sorted by name");
    }
}
