package io.polystore.gateway.account.internal;

import io.polystore.gateway.account.PasswordHashes;
import io.polystore.servicedefaults.problem.FieldProblem;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a username and a password must be. Usernames: 3 to 40 characters, lower-case letters, digits, {@code .},
 * {@code _} and {@code -}, starting and ending with a letter or digit. Passwords: at least {@code minLength} characters,
 * at most {@value PasswordHashes#MAX_PASSWORD_BYTES} bytes in UTF-8, no control characters, not containing the
 * username, and not one of the commonly chosen passwords in {@code common-passwords.txt}. Each rule broken is one
 * {@link FieldProblem}, so that people learn all of them at once.
 */
public final class AccountRules {

    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";

    private static final Pattern USERNAME_PATTERN = Pattern.compile("[a-z0-9](?:[a-z0-9._-]{1,38})[a-z0-9]");
    private static final Set<String> COMMON_PASSWORDS = commonPasswords();

    private final int minLength;

    public AccountRules(int minLength) {
        this.minLength = minLength;
    }

    public List<FieldProblem> checkUsername(String username) {
        if (username == null || username.isEmpty()) {
            return List.of(new FieldProblem(USERNAME, "is required"));
        }
        if (!USERNAME_PATTERN.matcher(username).matches()) {
            return List.of(new FieldProblem(USERNAME, "must be 3 to 40 characters: lower-case letters, digits, '.', '_' "
                    + "or '-', starting and ending with a letter or digit"));
        }
        return List.of();
    }

    public List<FieldProblem> checkPassword(String password, String username) {
        if (password == null || password.isEmpty()) {
            return List.of(new FieldProblem(PASSWORD, "is required"));
        }
        List<FieldProblem> problems = new ArrayList<>();
        if (password.codePointCount(0, password.length()) < minLength) {
            problems.add(new FieldProblem(PASSWORD, "must be at least " + minLength + " characters"));
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > PasswordHashes.MAX_PASSWORD_BYTES) {
            problems.add(new FieldProblem(PASSWORD, "must be at most " + PasswordHashes.MAX_PASSWORD_BYTES + " bytes in UTF-8"));
        }
        if (password.codePoints().anyMatch(Character::isISOControl)) {
            problems.add(new FieldProblem(PASSWORD, "must not contain control characters"));
        }
        String lowerCase = password.toLowerCase(Locale.ROOT);
        if (username != null && username.length() >= 3 && lowerCase.contains(username.toLowerCase(Locale.ROOT))) {
            problems.add(new FieldProblem(PASSWORD, "must not contain the username"));
        }
        if (COMMON_PASSWORDS.contains(lowerCase)) {
            problems.add(new FieldProblem(PASSWORD, "is one of the most commonly chosen passwords, which are tried first"));
        }
        return problems;
    }

    private static Set<String> commonPasswords() {
        try {
            String list = new ClassPathResource("common-passwords.txt", AccountRules.class)
                    .getContentAsString(StandardCharsets.UTF_8);
            return list.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException("The gateway lacks its list of common passwords", e);
        }
    }
}
