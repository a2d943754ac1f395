package io.polystore.gateway.identity.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AbstractOAuth2Token;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Authorizations (sign-ins in progress, authorization codes, refresh tokens) in memory, found by any of their token
 * values in constant time, and forgotten once every token in them has expired, so memory stays bounded however long
 * the gateway runs. Client credentials grants are not kept: their access tokens are self-contained JWTs that nothing
 * looks up again. Kept per gateway instance; they do not survive a restart.
 */
public final class ExpiringAuthorizationService implements OAuth2AuthorizationService {

    /** How long a sign-in may take between the authorization request and the code (no token holds a time then). */
    private static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final Clock clock;
    private final int maxAuthorizations;
    private final Map<String, Stored> byId = new LinkedHashMap<>();
    private final Map<String, String> idByToken = new HashMap<>();
    private Instant nextSweep;

    public ExpiringAuthorizationService(Clock clock, int maxAuthorizations) {
        this.clock = clock;
        this.maxAuthorizations = maxAuthorizations;
        this.nextSweep = clock.instant().plus(SWEEP_INTERVAL);
    }

    private record Stored(OAuth2Authorization authorization, Instant expiresAt, List<String> tokenValues) {
    }

    @Override
    public synchronized void save(OAuth2Authorization authorization) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
            return;
        }
        Instant now = clock.instant();
        sweepIfDue(now);
        forget(authorization.getId());
        List<String> tokenValues = tokenValues(authorization).toList();
        byId.put(authorization.getId(), new Stored(authorization, expiry(authorization, now), tokenValues));
        tokenValues.forEach(value -> idByToken.put(value, authorization.getId()));
        if (byId.size() > maxAuthorizations) {
            forget(byId.keySet().iterator().next()); // the oldest
        }
    }

    @Override
    public synchronized void remove(OAuth2Authorization authorization) {
        forget(authorization.getId());
    }

    @Override
    public synchronized @Nullable OAuth2Authorization findById(String id) {
        return live(byId.get(id));
    }

    @Override
    public synchronized @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        String id = idByToken.get(token);
        OAuth2Authorization authorization = id == null ? null : live(byId.get(id));
        return authorization != null && holds(authorization, token, tokenType) ? authorization : null;
    }

    synchronized int size() {
        return byId.size();
    }

    private @Nullable OAuth2Authorization live(@Nullable Stored stored) {
        return stored == null || stored.expiresAt().isBefore(clock.instant()) ? null : stored.authorization();
    }

    private void forget(String id) {
        Stored stored = byId.remove(id);
        if (stored != null) {
            stored.tokenValues().forEach(idByToken::remove);
        }
    }

    private void sweepIfDue(Instant now) {
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(SWEEP_INTERVAL);
        for (Iterator<Stored> stored = byId.values().iterator(); stored.hasNext(); ) {
            Stored next = stored.next();
            if (next.expiresAt().isBefore(now)) {
                next.tokenValues().forEach(idByToken::remove);
                stored.remove();
            }
        }
    }

    private static Instant expiry(OAuth2Authorization authorization, Instant now) {
        return Stream.of(OAuth2AuthorizationCode.class, OAuth2AccessToken.class, OAuth2RefreshToken.class, OidcIdToken.class)
                .map(authorization::getToken)
                .filter(Objects::nonNull)
                .map(token -> token.getToken().getExpiresAt())
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(now.plus(PENDING_LIFETIME));
    }

    private static Stream<String> tokenValues(OAuth2Authorization authorization) {
        Stream<String> tokens = Stream.of(OAuth2AuthorizationCode.class, OAuth2AccessToken.class, OAuth2RefreshToken.class,
                        OidcIdToken.class)
                .map(authorization::getToken)
                .filter(Objects::nonNull)
                .map(token -> ((AbstractOAuth2Token) token.getToken()).getTokenValue());
        String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
        return state == null ? tokens : Stream.concat(Stream.of(state), tokens);
    }

    private static boolean holds(OAuth2Authorization authorization, String value, @Nullable OAuth2TokenType type) {
        if (type == null) {
            return true;
        }
        if (OAuth2ParameterNames.STATE.equals(type.getValue())) {
            return value.equals(authorization.getAttribute(OAuth2ParameterNames.STATE));
        }
        Class<? extends AbstractOAuth2Token> tokenClass = switch (type.getValue()) {
            case OAuth2ParameterNames.CODE -> OAuth2AuthorizationCode.class;
            case OAuth2ParameterNames.ACCESS_TOKEN -> OAuth2AccessToken.class;
            case OAuth2ParameterNames.REFRESH_TOKEN -> OAuth2RefreshToken.class;
            case OidcParameterNames.ID_TOKEN -> OidcIdToken.class;
            default -> null;
        };
        OAuth2Authorization.Token<? extends AbstractOAuth2Token> token =
                tokenClass == null ? null : authorization.getToken(tokenClass);
        return token != null && value.equals(token.getToken().getTokenValue());
    }
}
