package io.polystore.gateway.account;

import io.polystore.gateway.ConditionalOnEmbeddedIssuer;
import io.polystore.gateway.Role;
import io.polystore.gateway.account.internal.StoredAccount;
import io.polystore.servicedefaults.problem.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** The account API, served by the gateway itself: sign-up, one's own account, and administration. */
@RestController
@ConditionalOnEmbeddedIssuer
@Tag(name = "Accounts", description = "Sign-up, your own account, and account administration")
class AccountResource {

    static final String OWN = "/api/account";
    static final String ALL = "/api/accounts";

    private final Accounts accounts;

    AccountResource(Accounts accounts) {
        this.accounts = accounts;
    }

    record RegisterAccountRequest(@Nullable String username, @Nullable String password) {
    }

    record AccountView(String username,
                       @Schema(description = "Where the account's orders and personal data are kept, and the region "
                               + "claim of its tokens: the region of the gateway it signed up at")
                       String homeRegion,
                       List<String> roles, Instant createdAt, Instant updatedAt, @Nullable Instant lockedUntil) {

        static AccountView of(Account account) {
            return new AccountView(account.username(), account.homeRegion(), StoredAccount.names(account.roles()),
                    account.createdAt(), account.updatedAt(), account.lockedUntil());
        }
    }

    record AccountPage(List<AccountView> accounts, @Nullable String nextCursor) {
    }

    @PostMapping(path = OWN, consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @SecurityRequirements
    @Operation(operationId = "signUp", summary = "Sign up as a customer",
            description = "No token needed. The new account holds CUSTOMER and is homed in this gateway's region "
                    + "(homeRegion, and the region claim of its tokens): its orders and personal data are kept there. "
                    + "Usernames: 3 to 40 lower-case letters, digits, "
                    + "'.', '_' or '-'. Passwords: at least 12 characters (polystore.accounts.password-min-length), at most "
                    + "72 bytes, not containing the username, not a common password; each broken rule is listed in the "
                    + "problem's errors. 409 when the username is taken; 429 after too many sign-ups from one address.")
    @ApiResponse(responseCode = "201", description = "The new account")
    @ApiResponse(responseCode = "409", description = "The username is taken")
    ResponseEntity<AccountView> register(@RequestBody RegisterAccountRequest request, HttpServletRequest http) {
        Account account = accounts.register(request.username(), request.password(), http.getRemoteAddr());
        return ResponseEntity.created(URI.create(OWN)).body(AccountView.of(account));
    }

    @GetMapping(OWN)
    @PreAuthorize("isAuthenticated()")
    @Operation(operationId = "getMyAccount", summary = "Your own account",
            description = "404 for a machine's token: OAuth2 clients have no account.")
    @ApiResponse(responseCode = "200", description = "The caller's account")
    @ApiResponse(responseCode = "404", description = "The token is a machine's: OAuth2 clients have no account")
    AccountView mine(Authentication caller) {
        return accounts.find(caller.getName()).map(AccountView::of)
                .orElseThrow(() -> new AccountException.NotFound(caller.getName()));
    }

    @GetMapping(ALL)
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(operationId = "listAccounts", summary = "List accounts", description = "In username order, a page at a time; pass nextCursor as cursor.")
    AccountPage list(@Parameter(description = "only accounts holding this role", schema = @Schema(implementation = Role.class))
                     @RequestParam(required = false) @Nullable String role,
                     @RequestParam(required = false) @Nullable String cursor,
                     @RequestParam(defaultValue = "50") @Min(1) @Max(100) int limit) {
        List<Account> page = accounts.list(role == null ? null : role(role), cursor == null ? null : after(cursor), limit);
        String next = page.size() < limit ? null : Base64.getUrlEncoder().withoutPadding()
                .encodeToString(page.getLast().username().getBytes(StandardCharsets.UTF_8));
        return new AccountPage(page.stream().map(AccountView::of).toList(), next);
    }

    @GetMapping(ALL + "/{username}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(operationId = "getAccount", summary = "An account", description = "With lockedUntil while failed sign-ins keep it locked.")
    AccountView get(@PathVariable String username) {
        return accounts.find(username).map(AccountView::of).orElseThrow(() -> new AccountException.NotFound(username));
    }

    @PutMapping(ALL + "/{username}/roles/{role}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(operationId = "grantRole", summary = "Grant a role",
            description = "Takes effect with the account's next token (sign-in or refresh).")
    AccountView grant(@PathVariable String username,
                      @PathVariable @Parameter(schema = @Schema(implementation = Role.class)) String role,
                      Authentication caller) {
        return AccountView.of(accounts.grant(caller.getName(), username, role(role)));
    }

    @DeleteMapping(ALL + "/{username}/roles/{role}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(operationId = "revokeRole", summary = "Revoke a role", description = "Takes effect with the account's next "
            + "token; tokens already issued keep it until they expire. 409 when it would leave no administrator.")
    @ApiResponse(responseCode = "200", description = "The account as it is now")
    @ApiResponse(responseCode = "409", description = "It would leave no administrator")
    AccountView revoke(@PathVariable String username,
                       @PathVariable @Parameter(schema = @Schema(implementation = Role.class)) String role,
                       Authentication caller) {
        return AccountView.of(accounts.revoke(caller.getName(), username, role(role)));
    }

    @PostMapping(ALL + "/{username}/unlock")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(operationId = "unlockAccount", summary = "Unlock an account", description = "Lifts a lock from failed sign-ins and forgets the failures.")
    AccountView unlock(@PathVariable String username, Authentication caller) {
        return AccountView.of(accounts.unlock(caller.getName(), username));
    }

    private static Role role(String name) {
        return Arrays.stream(Role.values()).filter(role -> role.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidInputException("role", "must be one of " + Arrays.toString(Role.values())));
    }

    private static String after(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("cursor", "is not a cursor this API gave");
        }
    }
}
