package io.polystore.gateway.routing.internal;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;

import static io.polystore.gateway.routing.internal.ApiDocsRewriterTest.GATEWAY;
import static io.polystore.gateway.routing.internal.ApiDocsRewriterTest.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** The API documents say what forwarding to the home region can answer, on the operations it applies to only. */
class HomeRegionApiDocsTest {

    private static final String ORDERS = """
            {"openapi":"3.1.0","paths":{
              "/orders":{"post":{"description":"Place an order.","responses":{"201":{"description":"Placed"}}},
                         "get":{"responses":{"200":{"description":"A page"}}}},
              "/orders/{orderId}":{"get":{"responses":{"200":{"description":"OK"},
                                   "503":{"description":"The service cannot answer now."}}}},
              "/orders/all":{"get":{"description":"Everyone's.","responses":{"200":{"description":"OK"}}}}}}""";

    @Test
    void aServicesForwardedOperationsSayWhatForwardingAnswers() {
        JsonNode paths = JSON.readTree(ApiDocsRewriter.rewrite(JSON, GATEWAY, "/api",
                ORDERS.getBytes(StandardCharsets.UTF_8))).path("paths");

        JsonNode place = paths.at("/~1orders/post");
        assertThat(place.path("description").asString()).startsWith("Place an order. Through the gateway, a customer")
                .contains("Polystore-Forwarded-From", "urn:polystore:problem:home-region-unavailable")
                .doesNotContain("Polystore-Served-From");
        assertThat(place.at("/responses/502/description").asString())
                .isEqualTo("The exchange with the service failed. " + HomeRegionApiDocs.BAD_GATEWAY);
        assertThat(place.at("/responses/503/description").asString()).endsWith(HomeRegionApiDocs.SERVICE_UNAVAILABLE);
        assertThat(place.at("/responses/504/description").asString()).endsWith(HomeRegionApiDocs.GATEWAY_TIMEOUT);
        assertThat(place.at("/responses/201/headers").has("Polystore-Served-From")).isFalse();

        JsonNode read = paths.at("/~1orders~1{orderId}/get");
        assertThat(read.path("description").asString()).contains("Polystore-Forwarded-From",
                "Polystore-Served-From: replica", "Polystore-Replica-Of");
        assertThat(read.at("/responses/503/description").asString())
                .isEqualTo("The service cannot answer now. " + HomeRegionApiDocs.SERVICE_UNAVAILABLE_REPLICA);
        assertThat(read.at("/responses/503/headers").has("Retry-After")).isTrue();
        assertThat(read.at("/responses/502/description").asString()).endsWith(HomeRegionApiDocs.BAD_GATEWAY_READ);
        assertThat(read.at("/responses/504/description").asString()).as("a read that times out is taken for a region that is down")
                .isEqualTo("The service did not answer in time.");
        assertThat(read.at("/responses/200/headers/Polystore-Served-From/schema/enum").toString()).isEqualTo("[\"replica\"]");
        assertThat(read.at("/responses/200/headers/Polystore-Replica-Of/schema/type").asString()).isEqualTo("string");
        assertThat(paths.at("/~1orders/get/responses/200/headers").has("Polystore-Served-From")).isTrue();

        JsonNode everyones = paths.at("/~1orders~1all/get");
        assertThat(everyones.path("description").asString()).isEqualTo("Everyone's.");
        assertThat(everyones.at("/responses/502/description").asString()).isEqualTo("The exchange with the service failed.");
        assertThat(everyones.at("/responses/200/headers").isMissingNode()).isTrue();
    }

    @Test
    void theGatewaysOwnAccountReadSaysSoToo() {
        OpenAPI document = new OpenAPI().paths(new Paths()
                .addPathItem("/api/account", new PathItem()
                        .get(operation("404", "No account"))
                        .post(operation("409", "Taken")))
                .addPathItem("/api/accounts", new PathItem().get(operation("404", "None"))));

        new HomeRegionApiDocs().customise(document);

        Operation mine = document.getPaths().get("/api/account").getGet();
        assertThat(mine.getDescription()).startsWith("Yours. Through the gateway").contains("Polystore-Forwarded-From");
        assertThat(mine.getResponses().keySet()).containsExactly("200", "404", "502", "503");
        assertThat(mine.getResponses().get("502").getDescription()).as("a read changes nothing")
                .isEqualTo(HomeRegionApiDocs.BAD_GATEWAY_READ);
        ApiResponse unavailable = mine.getResponses().get("503");
        assertThat(unavailable.getDescription()).isEqualTo(HomeRegionApiDocs.SERVICE_UNAVAILABLE);
        assertThat(unavailable.getContent().get("application/problem+json").getSchema().get$ref())
                .isEqualTo("#/components/schemas/Problem");
        assertThat(unavailable.getHeaders()).containsKey("Retry-After");
        assertThat(document.getPaths().get("/api/account").getPost().getResponses().keySet()).containsExactly("200", "409");
        assertThat(document.getPaths().get("/api/accounts").getGet().getResponses().keySet()).containsExactly("200", "404");
    }

    private static Operation operation(String error, String description) {
        return new Operation().description("Yours.").responses(new ApiResponses()
                .addApiResponse("200", new ApiResponse().description("OK"))
                .addApiResponse(error, new ApiResponse().description(description)));
    }
}
