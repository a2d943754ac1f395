package io.polystore.gateway.account;

/**
 * Names nobody may register, because a token's subject would then be ambiguous: the identity module reserves its
 * OAuth2 clients' ids (the subject of their own tokens). {@code anonymous} and {@code gateway}, which the audit uses,
 * are always reserved.
 */
@FunctionalInterface
public interface ReservedUsernames {

    boolean isReserved(String username);
}
