package io.polystore.gateway.identity.internal;

import io.polystore.gateway.Role;
import io.polystore.gateway.identity.IdentityProperties;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import java.util.List;

/** The people of {@code polystore.identity.users}, whose passwords must be stored as strong hashes. */
public final class ConfiguredUsers {

    private ConfiguredUsers() {
    }

    public static InMemoryUserDetailsManager from(IdentityProperties identity) {
        List<UserDetails> users = identity.users().entrySet().stream()
                .map(entry -> {
                    String property = "polystore.identity.users." + entry.getKey() + ".password";
                    String hash = PasswordHashes.requireStrong(property, entry.getValue().password());
                    return User.withUsername(entry.getKey())
                            .password(hash)
                            .roles(entry.getValue().roles().stream().map(Role::name).toArray(String[]::new))
                            .build();
                })
                .toList();
        return new InMemoryUserDetailsManager(users);
    }
}
