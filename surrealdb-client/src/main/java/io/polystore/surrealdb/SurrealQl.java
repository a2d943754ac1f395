package io.polystore.surrealdb;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A piece of SurrealQL, one or more statements, with the variables it binds. Pieces are named constants composed in
 * the order they run, so that a query reads as the SurrealQL it sends; values only ever travel as variables:
 * <pre>{@code
 * static final SurrealQl LET_PRODUCT = SurrealQl.of("LET $product = type::record('product', $key);");
 * static final SurrealQl SKU_FREE = SurrealQl.throwIf(
 *         "count(SELECT id FROM product WHERE sku = $sku AND id != $product LIMIT 1) > 0", "sku-taken");
 *
 * surreal.query(SurrealQl.transaction(LET_PRODUCT, SKU_FREE, CREATE_PRODUCT).with("key", key).with("sku", sku));
 * }</pre>
 * Immutable; {@link #with} and {@link #then} return new pieces.
 */
public final class SurrealQl {

    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final SurrealQl BEGIN = of("BEGIN TRANSACTION;");
    private static final SurrealQl COMMIT = of("COMMIT TRANSACTION;");

    private final String text;
    private final Map<String, Object> vars;

    private SurrealQl(String text, Map<String, Object> vars) {
        this.text = text;
        this.vars = vars;
    }

    /** Statements without variables of their own; the text is SurrealQL written by the program, never input. */
    public static SurrealQl of(String statements) {
        return new SurrealQl(Objects.requireNonNull(statements, "statements").strip(), Map.of());
    }

    /**
     * {@code IF <condition> { THROW 'polystore:<code>' };}: stops the query (and rolls back its transaction) when the
     * condition holds; {@link SurrealStatementException#thrownCode()} reads the code back.
     *
     * @param code lower-case letters, digits and dashes
     */
    public static SurrealQl throwIf(String condition, String code) {
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("A thrown code is lower-case letters, digits and dashes, not '" + code + "'");
        }
        return of("IF " + condition + " { THROW '" + SurrealStatementException.THROWN_PREFIX + code + "' };");
    }

    /** The pieces in order, inside {@code BEGIN TRANSACTION; ... COMMIT TRANSACTION;}. */
    public static SurrealQl transaction(SurrealQl... pieces) {
        SurrealQl transaction = BEGIN;
        for (SurrealQl piece : pieces) {
            transaction = transaction.then(piece);
        }
        return transaction.then(COMMIT);
    }

    /** This piece, then {@code next}; a variable both bind must have the same value in both. */
    public SurrealQl then(SurrealQl next) {
        Map<String, Object> merged = new HashMap<>(vars);
        next.vars.forEach((name, value) -> bind(merged, name, value));
        return new SurrealQl(text + "\n" + next.text, Collections.unmodifiableMap(merged));
    }

    /** This piece with {@code $name} bound to {@code value} (null is SurrealDB's NULL, {@link SurrealNone} its NONE). */
    public SurrealQl with(String name, Object value) {
        Map<String, Object> bound = new HashMap<>(vars);
        bind(bound, name, value);
        return new SurrealQl(text, Collections.unmodifiableMap(bound));
    }

    public String text() {
        return text;
    }

    public Map<String, Object> vars() {
        return vars;
    }

    private static void bind(Map<String, Object> vars, String name, Object value) {
        if (vars.containsKey(name) && !Objects.equals(vars.get(name), value)) {
            throw new IllegalArgumentException("$" + name + " is bound twice, to different values");
        }
        vars.put(name, value);
    }

    @Override
    public String toString() {
        return text;
    }
}
