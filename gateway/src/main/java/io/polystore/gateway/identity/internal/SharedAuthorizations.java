package io.polystore.gateway.identity.internal;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Authorizations (sign-ins in progress, authorization codes, refresh tokens) in the gateway's database, so that every
 * gateway instance finds what another issued: a sign-in begun at one finishes at another, a code or a refresh token
 * issued by one is redeemed at another. Client credentials grants are not kept: their access tokens are
 * self-contained JWTs that nothing looks up again. What can no longer be used (every token expired, or a sign-in left
 * unfinished for {@code PENDING_LIFETIME}) is deleted at most once a minute, by whichever instance saves then.
 */
public final class SharedAuthorizations implements OAuth2AuthorizationService {

    /** How long a sign-in may take between the authorization request and the code (no token holds a time then). */
    private static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    private static final String DELETE_UNUSABLE = """
            DELETE FROM oauth2_authorization
            WHERE created_at < ?
              AND coalesce(greatest(authorization_code_expires_at, access_token_expires_at, refresh_token_expires_at,
                                    oidc_id_token_expires_at), '-infinity') < ?""";
    private static final Logger log = LoggerFactory.getLogger(SharedAuthorizations.class);

    private final JdbcOAuth2AuthorizationService authorizations;
    private final JdbcOperations jdbc;
    private final Clock clock;
    private volatile Instant nextSweep;

    public SharedAuthorizations(JdbcOperations jdbc, RegisteredClientRepository clients, Clock clock) {
        this.authorizations = new JdbcOAuth2AuthorizationService(jdbc, clients);
        this.jdbc = jdbc;
        this.clock = clock;
        this.nextSweep = clock.instant();
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
            return;
        }
        authorizations.save(authorization);
        sweepIfDue();
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        authorizations.remove(authorization);
    }

    @Override
    public @Nullable OAuth2Authorization findById(String id) {
        return authorizations.findById(id);
    }

    @Override
    public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        return authorizations.findByToken(token, tokenType);
    }

    /** Deletes the authorizations nothing can use any more; returns how many. */
    public int deleteUnusable() {
        Instant now = clock.instant();
        return jdbc.update(DELETE_UNUSABLE, OffsetDateTime.ofInstant(now.minus(PENDING_LIFETIME), ZoneOffset.UTC),
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
    }

    private void sweepIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(SWEEP_INTERVAL);
        try {
            deleteUnusable();
        } catch (DataAccessException e) {
            log.warn("Deleting expired authorizations failed; the next sweep tries again: {}", e.getMessage());
        }
    }
}
