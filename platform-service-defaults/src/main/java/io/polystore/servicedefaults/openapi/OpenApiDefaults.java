package io.polystore.servicedefaults.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Names the API after the service and declares the bearer-JWT scheme that every endpoint requires. */
@Configuration(proxyBeanMethods = false)
public class OpenApiDefaults {

    static final String BEARER_SCHEME = "bearer-jwt";

    @Bean
    @ConditionalOnMissingBean(OpenAPI.class)
    OpenAPI polystoreOpenApi(@Value("${spring.application.name}") String applicationName,
                             @Value("${polystore.api.version:v1}") String version) {
        return new OpenAPI()
                .info(new Info().title(applicationName + " API").version(version)
                        .description("Part of Polystore. Every endpoint needs a bearer JWT issued by the gateway."))
                .components(new Components().addSecuritySchemes(BEARER_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME));
    }
}
