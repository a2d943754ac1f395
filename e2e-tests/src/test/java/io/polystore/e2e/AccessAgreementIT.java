package io.polystore.e2e;

import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.LocalPlatform;
import io.polystore.testkit.platform.PlatformService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's route rules and the services' own rules agree: for every operation in each service's OpenAPI
 * document, every role and no token at all get the same kind of answer through the gateway as from the service
 * itself (2xx, 401, 403, or another 4xx). A rule the gateway has and the service lacks, or the other way round, shows
 * as a difference here. Requests are valid, so that a service's answer is its authorisation, not its input checks
 * (which Spring runs before method security); reads go to existing orders and products, writes to ids that do not
 * exist, apart from the few that create something new.
 */
@ExtendWith(RunningPlatform.class)
class AccessAgreementIT {

    /** The callers: each role's demo user, and nobody. */
    private static final List<String> CALLERS = List.of("CUSTOMER", "CATALOG_MANAGER", "ORDER_MANAGER", "AUDITOR", "ADMIN", "NONE");

    /** Where each service's paths are on the gateway (its routes in application.yml). */
    private static final Map<PlatformService, String> GATEWAY_PREFIX = Map.of(
            PlatformService.ORDERS, "/api", PlatformService.CATALOG, "/api/catalog",
            PlatformService.AUDIT, "/api", PlatformService.SYNC, "/api/sync");

    private static Shop shop;
    private static LocalPlatform platform;
    private static String product;
    private static String category;
    private static String order;

    @BeforeAll
    static void somethingToRead() {
        platform = RunningPlatform.platform();
        shop = new Shop(platform);
        product = shop.createProduct("Agreement mug", 100);
        order = shop.placeOrder(Map.of(product, 1));
        GatewayClient.Response created = shop.gateway.post("/api/catalog/categories", shop.token("CATALOG_MANAGER"),
                Map.of("name", "Agreement " + UUID.randomUUID()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        category = created.json().path("id").asString();
    }

    @Test
    void everyRoleGetsTheSameAnswerThroughTheGatewayAsFromTheService() {
        List<String> differences = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        int compared = 0;
        for (var service : GATEWAY_PREFIX.entrySet()) {
            GatewayClient direct = new GatewayClient(URI.create("http://localhost:" + service.getKey().port(platform.ports())));
            JsonNode paths = direct.get("/v3/api-docs", null).json().path("paths");
            assertThat(paths.size()).as("operations in %s's OpenAPI", service.getKey()).isPositive();
            for (var path : paths.properties()) {
                for (var operation : path.getValue().properties()) {
                    String method = operation.getKey().toUpperCase();
                    String key = method + " " + service.getKey().moduleName() + ":" + path.getKey();
                    Supplier<Object> body = BODIES.get(key);
                    if (operation.getValue().has("requestBody") && body == null) {
                        unchecked.add(key);
                        continue;
                    }
                    String target = concrete(service.getKey(), method, path.getKey(), operation.getValue());
                    for (String caller : CALLERS) {
                        String token = caller.equals("NONE") ? null : shop.token(caller);
                        GatewayClient.Response viaGateway = shop.gateway.send(method, service.getValue() + target, token,
                                body == null ? null : body.get(), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
                        GatewayClient.Response fromService = direct.send(method, target, token,
                                body == null ? null : body.get(), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
                        compared++;
                        if (!answer(viaGateway).equals(answer(fromService))) {
                            differences.add(caller + " " + method + " " + service.getValue() + target + ": gateway "
                                    + viaGateway.status() + ", " + service.getKey().moduleName() + " " + fromService.status());
                        }
                    }
                }
            }
        }

        assertThat(unchecked).as("operations with a request body and no valid sample in AccessAgreementIT.BODIES").isEmpty();
        assertThat(differences).as("gateway and services disagree (%d requests compared)", compared).isEmpty();
        assertThat(compared).isGreaterThan(100);
    }

    /** The kind of answer: what a rule decides, not the details of the request. */
    private static String answer(GatewayClient.Response response) {
        return switch (response.status()) {
            case 401, 403 -> Integer.toString(response.status());
            default -> response.status() / 100 + "xx";
        };
    }

    /**
     * The path with its variables filled, and the required query parameters: reads name the order and product made for
     * this test (so that someone may get a 2xx), writes name nothing that exists (so that nothing is changed twice).
     */
    private static String concrete(PlatformService service, String method, String template, JsonNode operation) {
        boolean read = method.equals("GET");
        String path = template;
        StringBuilder query = new StringBuilder();
        for (JsonNode parameter : operation.path("parameters")) {
            String name = parameter.path("name").asString();
            JsonNode schema = parameter.path("schema");
            switch (parameter.path("in").asString()) {
                case "path" -> path = path.replace("{" + name + "}", read ? existing(service, template, name, schema) : missing(schema));
                case "query" -> {
                    if (parameter.path("required").asBoolean()) {
                        query.append(query.isEmpty() ? "?" : "&").append(name).append('=')
                                .append(URLEncoder.encode(sample(schema), StandardCharsets.UTF_8));
                    }
                }
                default -> {
                }
            }
        }
        return path + query;
    }

    private static String existing(PlatformService service, String template, String name, JsonNode schema) {
        return switch (name) {
            case "orderId" -> order;
            case "productId", "relatedId" -> product;
            case "customerId" -> "agreement-nobody";
            case "id" -> switch (service) {
                case CATALOG -> template.startsWith("/categories") ? category : product;
                default -> missing(schema);
            };
            default -> missing(schema);
        };
    }

    /** A value of the parameter's type that names nothing: a wrongly typed one would be refused before any rule. */
    private static String missing(JsonNode schema) {
        return switch (schema.path("type").asString()) {
            case "integer", "number" -> "987654321";
            default -> "uuid".equals(schema.path("format").asString()) ? UUID.randomUUID().toString()
                    : "agreement-missing-" + UUID.randomUUID().toString().substring(0, 8);
        };
    }

    private static String sample(JsonNode schema) {
        if (schema.has("enum")) {
            return schema.path("enum").get(0).asString();
        }
        return switch (schema.path("type").asString()) {
            case "integer", "number" -> schema.has("minimum") ? schema.path("minimum").asString() : "1";
            case "boolean" -> "false";
            default -> "date-time".equals(schema.path("format").asString()) ? Instant.now().toString() : "x";
        };
    }

    /** A valid body for each operation that takes one, by method, service and path; new ones made at each call. */
    private static final Map<String, Supplier<Object>> BODIES = bodies();

    private static Map<String, Supplier<Object>> bodies() {
        Map<String, Supplier<Object>> bodies = new LinkedHashMap<>();
        bodies.put("POST order-service:/orders", () -> Shop.orderBody(Map.of(product, 1)));
        bodies.put("POST catalog-service:/categories", () -> Map.of("name", "Agreement " + UUID.randomUUID()));
        bodies.put("PUT catalog-service:/categories/{id}", () -> Map.of("name", "Agreement " + UUID.randomUUID()));
        bodies.put("POST catalog-service:/products", () -> Shop.productBody("Agreement product", 1));
        bodies.put("PUT catalog-service:/products/{id}", () -> Map.of("sku", "AGREEMENT-" + UUID.randomUUID(),
                "name", "Agreement product", "price", Map.of("amount", "1.00", "currency", "EUR"), "active", true, "version", 1));
        bodies.put("POST catalog-service:/products/{productId}/inventory/adjustments", () -> Map.of("quantity", 1, "reason", "agreement"));
        bodies.put("PUT catalog-service:/products/{productId}/inventory", () -> Map.of("available", 1, "reason", "agreement"));
        // One platform is one region without peers: refused with 400 for its region, through the gateway as directly.
        bodies.put("POST catalog-service:/products/{productId}/inventory/transfers", () -> Map.of("toRegion", "region-2", "quantity", 1));
        bodies.put("POST sync-service:/reconciliation/runs", () -> Map.of("repair", false));
        bodies.put("POST sync-service:/query", () -> Map.of("sql", "SELECT sku FROM catalog.product WHERE sku = 'AGREEMENT-NONE'"));
        return bodies;
    }
}
