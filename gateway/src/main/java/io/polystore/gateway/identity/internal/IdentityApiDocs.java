package io.polystore.gateway.identity.internal;

import io.polystore.servicedefaults.openapi.ProblemResponsesCustomizer;
import io.swagger.v3.core.util.Yaml31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Adds the OAuth2, OpenID Connect and sign-in endpoints to the gateway's own OpenAPI document. They are Spring
 * Authorization Server's and Spring Security's filters, which springdoc cannot see, so {@code openapi/gateway-identity.yaml}
 * describes them, OAuth2's errors in their RFC 6749 shape. Every operation of the document, the gateway's controllers'
 * too, answers 429 when a rate limit is spent.
 */
public final class IdentityApiDocs implements GlobalOpenApiCustomizer {

    private static final String FRAGMENT = "openapi/gateway-identity.yaml";
    private static final String TOO_MANY_REQUESTS = "429";

    private final OpenAPI identity;

    public IdentityApiDocs() {
        try (InputStream yaml = new ClassPathResource(FRAGMENT).getInputStream()) {
            this.identity = Yaml31.mapper().readValue(yaml, OpenAPI.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + FRAGMENT, e);
        }
    }

    @Override
    public void customise(OpenAPI openApi) {
        openApi.setServers(List.of(new Server().url("/").description("the gateway")));
        openApi.getInfo().description("The gateway's own endpoints: tokens, sign-in and accounts. The services' APIs are "
                + "in their own documents, served through the gateway at /api/{orders,catalog,audit,sync}/v3/api-docs.");
        Paths paths = Optional.ofNullable(openApi.getPaths()).orElseGet(Paths::new);
        paths.putAll(identity.getPaths());
        openApi.setPaths(paths);
        Components components = Optional.ofNullable(openApi.getComponents()).orElseGet(Components::new);
        identity.getComponents().getSecuritySchemes().forEach(components::addSecuritySchemes);
        identity.getComponents().getResponses().forEach(components::addResponses);
        identity.getComponents().getSchemas().forEach(components::addSchemas);
        ProblemResponsesCustomizer.addProblemSchemas(components);
        openApi.setComponents(components);
        openApi.setTags(new ArrayList<>(Optional.ofNullable(openApi.getTags()).orElseGet(ArrayList::new)));
        identity.getTags().stream().filter(tag -> openApi.getTags().stream().noneMatch(t -> t.getName().equals(tag.getName())))
                .forEach(openApi::addTagsItem);
        // The rate limits apply to every endpoint of the gateway, its own controllers' too.
        paths.values().forEach(path -> path.readOperations().forEach(operation -> {
            Map<String, ApiResponse> sorted = new TreeMap<>(operation.getResponses());
            sorted.putIfAbsent(TOO_MANY_REQUESTS, new ApiResponse().$ref("#/components/responses/TooManyRequests"));
            ApiResponses byStatus = new ApiResponses();
            sorted.forEach(byStatus::addApiResponse);
            operation.setResponses(byStatus);
        }));
    }
}
