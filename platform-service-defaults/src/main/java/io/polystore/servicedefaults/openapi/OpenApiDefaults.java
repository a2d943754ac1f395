package io.polystore.servicedefaults.openapi;

import io.polystore.servicedefaults.problem.ProblemMappings;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Names the API after the service, declares the bearer-JWT scheme that every endpoint requires, and makes the
 * document say what the API does: nullability and required members from the code's jspecify annotations
 * ({@link NullabilityModelConverter}), every error response with the problem-details schema
 * ({@link ProblemResponsesCustomizer}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiDocsProperties.class)
public class OpenApiDefaults {

    static final String BEARER_SCHEME = "bearer-jwt";

    @Bean
    @ConditionalOnMissingBean(OpenAPI.class)
    OpenAPI polystoreOpenApi(@Value("${spring.application.name}") String applicationName, ApiDocsProperties api) {
        return new OpenAPI()
                .info(new Info().title(applicationName + " API").version(api.version())
                        .description("Part of Polystore. Every endpoint needs a bearer JWT issued by the gateway.")
                        .license(new License().name(api.licenseName()).identifier(api.licenseIdentifier())))
                .components(new Components().addSecuritySchemes(BEARER_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME));
    }

    @Bean
    NullabilityModelConverter nullabilityModelConverter() {
        return new NullabilityModelConverter();
    }

    @Bean
    ProblemResponsesCustomizer problemResponsesCustomizer(ObjectProvider<ProblemMappings> mappings) {
        return new ProblemResponsesCustomizer(mappings.orderedStream().toList());
    }
}
