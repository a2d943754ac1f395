package io.polystore.e2e;

import java.util.List;

/** What an attacker puts into a request, field by field: the catalogue the hostile-input suite sends. */
final class HostileValues {

    private HostileValues() {
    }

    /** Every hostile text, for the fields that matter most (names, identifiers, search terms). */
    static final List<String> TEXTS = List.of(
            // SQL injection
            "'; DROP TABLE customer_order; --",
            "x' OR '1'='1",
            "\" OR 1=1 --",
            "1; SELECT pg_sleep(5)",
            "Robert'); DELETE FROM outbox_event; --",
            // SurrealQL injection
            "product:x; DELETE product; --",
            "⟩; REMOVE TABLE product; ⟨",
            "`; UPDATE product SET price = 0; `",
            "type::thing('product', 'x')",
            "$auth",
            "<future> { DELETE product }",
            // control characters, NUL, lone surrogates, odd Unicode
            "a\u0000b",
            "\ud800",
            "x\udc00y",
            "\u0001\u0002\u001f",
            "line\r\nSet-Cookie: x=y",
            "\u007f\u0085\u009f",
            "\u202egnp.exe",
            "zero\u200bwidth",
            "😀 e\u0301",
            // path tricks, markup, templates
            "../../etc/passwd",
            "%2e%2e%2f",
            "<script>alert(1)</script>",
            "{{7*7}}${7*7}",
            "${jndi:ldap://127.0.0.1/x}",
            // sizes and blanks
            "",
            "   ",
            "a".repeat(100_000));

    /** A few of them, for the many less interesting fields. */
    static final List<String> CORE_TEXTS = List.of(
            "'; DROP TABLE customer_order; --",
            "⟩; REMOVE TABLE product; ⟨",
            "a\u0000b",
            "\ud800",
            "\u0001\u0002\u001f",
            "",
            "a".repeat(100_000));

    /** JSON texts put where a number belongs. */
    static final List<String> NUMBERS = List.of(
            "1.5", "-1", "-0", "0", "1e400", "-1e400", "1e-400", "9223372036854775808", "2147483648",
            "-2147483649", "99999999999999999999999999999999999999", "\"1\"", "\"many\"", "true", "null", "[]", "{}",
            "NaN", "Infinity", "0x10", "01", "1_000");

    /** Whole bodies that are not what any endpoint reads. */
    static final List<String> BODIES = List.of(
            "", "{", "[", "{\"a\":}", "{} trailing", "null", "[]", "\"text\"", "42", "{\"a\":1,\"a\":2}",
            "\uFEFF{}", "[".repeat(2_000) + "]".repeat(2_000), "{\"a\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}");

    /** Content types the JSON endpoints do not read, or charsets that do not match the bytes. */
    static final List<String> CONTENT_TYPES = List.of(
            "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/json; charset=UTF-16", "application/json; charset=bogus", "application/json; charset=ISO-8859-1",
            "*/*", "application/");
}
