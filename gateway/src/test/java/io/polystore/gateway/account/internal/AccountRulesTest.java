package io.polystore.gateway.account.internal;

import io.polystore.servicedefaults.problem.FieldProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AccountRulesTest {

    private final AccountRules rules = new AccountRules(12);

    @ParameterizedTest
    @ValueSource(strings = {"bob", "dora.k", "kim_2", "a-very-long-but-still-fine-name-1234567"})
    void takesUsernamesOfLowerCaseLettersDigitsAndSeparators(String username) {
        assertThat(rules.checkUsername(username)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "Alice", "al ice", "-bob", "bob.", "bob@example.com", "bö", "a\u0000b",
            "a-name-that-is-longer-than-forty-characters"})
    void refusesOtherUsernames(String username) {
        assertThat(rules.checkUsername(username)).extracting(FieldProblem::field).containsExactly("username");
    }

    @Test
    void takesALongUncommonPassword() {
        assertThat(rules.checkPassword("correct horse battery", "dora")).isEmpty();
        assertThat(rules.checkPassword("ünïcödé pässwörd", "dora")).isEmpty();
    }

    @Test
    void explainsEveryRuleAPasswordBreaks() {
        assertThat(reasons("short", "dora")).containsExactly("must be at least 12 characters");
        assertThat(reasons("dora-is-my-name", "dora")).containsExactly("must not contain the username");
        assertThat(reasons("Password1234", "dora")).containsExactly(
                "is one of the most commonly chosen passwords, which are tried first");
        assertThat(reasons("x".repeat(73), "dora")).containsExactly("must be at most 72 bytes in UTF-8");
        assertThat(reasons("tab\tinside password", "dora")).containsExactly("must not contain control characters");
        assertThat(reasons("dora", "dora")).containsExactlyInAnyOrder("must be at least 12 characters",
                "must not contain the username");
        assertThat(reasons("", "dora")).containsExactly("is required");
    }

    @Test
    void countsCharactersNotBytesForTheMinimum() {
        assertThat(reasons("ääääääääääää", "dora")).isEmpty();
        assertThat(reasons("😀".repeat(11), "dora")).containsExactly("must be at least 12 characters");
    }

    private List<String> reasons(String password, String username) {
        List<FieldProblem> problems = rules.checkPassword(password, username);
        assertThat(problems).allSatisfy(problem -> assertThat(problem.field()).isEqualTo("password"));
        return problems.stream().map(FieldProblem::reason).toList();
    }
}
