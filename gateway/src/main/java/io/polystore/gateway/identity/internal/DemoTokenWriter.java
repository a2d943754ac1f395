package io.polystore.gateway.identity.internal;

import io.polystore.gateway.PolystoreTokens;
import io.polystore.gateway.Role;
import io.polystore.gateway.account.Account;
import io.polystore.gateway.account.AccountProperties;
import io.polystore.gateway.identity.IdentityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * For local development only: once the gateway is up, writes a 12-hour access token per role of each seeded
 * account ({@code polystore.accounts.seed}) to {@code <demo-tokens-directory>/<ROLE>.jwt}, so that curl and scripts
 * can call the platform without an OAuth2 flow. The tokens are what the authorization code flow would give that user,
 * their home region included, with the one role.
 */
public final class DemoTokenWriter implements ApplicationListener<ApplicationReadyEvent> {

    static final String CLIENT_ID = "demo-tokens";
    private static final Logger log = LoggerFactory.getLogger(DemoTokenWriter.class);
    private static final Duration LIFETIME = Duration.ofHours(12);

    private final IdentityProperties identity;
    private final AccountProperties seed;
    private final Function<String, Optional<Account>> accounts;
    private final JwtEncoder encoder;
    private final SigningKeys keys;
    private final Clock clock;

    /** @param accounts the account of this username as it is now (the seeded one, or what became of it) */
    public DemoTokenWriter(IdentityProperties identity, AccountProperties seed,
                           Function<String, Optional<Account>> accounts, JwtEncoder encoder, SigningKeys keys,
                           Clock clock) {
        this.identity = identity;
        this.seed = seed;
        this.accounts = accounts;
        this.encoder = encoder;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Path directory = identity.demoTokensDirectory();
        try {
            Files.createDirectories(directory);
            for (var user : seed.seed().entrySet()) {
                Account account = accounts.apply(user.getKey()).orElseThrow(() -> new IllegalStateException(
                        "The seeded account " + user.getKey() + " is missing"));
                for (Role role : user.getValue().roles()) {
                    writeAtomically(directory.resolve(role.name() + ".jwt"), token(account, role));
                }
            }
            log.info("Wrote demo access tokens (valid {} h) to {}", LIFETIME.toHours(), directory.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write demo tokens to " + directory.toAbsolutePath(), e);
        }
    }

    /**
     * A file readers never see half written: another gateway instance (the first one, restarted) rewrites the tokens
     * while scripts and tests read them.
     */
    private static void writeAtomically(Path file, String content) throws IOException {
        Path written = Files.writeString(file.resolveSibling(file.getFileName() + ".new"), content);
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String token(Account account, Role role) {
        Instant now = clock.instant();
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.from(keys.active().getAlgorithm().getName()))
                .keyId(keys.active().getKeyID())
                .build();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(identity.issuerUri().toString())
                .subject(account.username())
                .audience(List.of(PolystoreTokens.AUDIENCE))
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(now.plus(LIFETIME))
                .id(UUID.randomUUID().toString())
                .claim(PolystoreTokens.CLIENT_ID_CLAIM, CLIENT_ID)
                .claim(PolystoreTokens.ROLES_CLAIM, List.of(role.name()))
                .claim(PolystoreTokens.REGION_CLAIM, account.homeRegion())
                .build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }
}
