package io.polystore.gateway.access;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.util.List;

/**
 * {@code polystore.gateway.access}: the role rules per method and path, first match wins, deny by default.
 *
 * @param rules the rules in the order they are tried
 */
@Validated
@ConfigurationProperties("polystore.gateway.access")
public record AccessProperties(@NotEmpty List<@Valid AccessRule> rules) {

    public AccessProperties {
        rules = List.copyOf(rules);
    }
}
