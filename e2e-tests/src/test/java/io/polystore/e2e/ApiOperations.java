package io.polystore.e2e;

import io.polystore.testkit.platform.GatewayClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every operation of the four services, read from their OpenAPI documents as the gateway serves them
 * ({@code /api/<service>/v3/api-docs}, each with the service's path on the gateway as its server).
 */
final class ApiOperations {

    private ApiOperations() {
    }

    record Parameter(String name, String in, JsonNode schema) {

        String type() {
            JsonNode type = schema.path("type");
            return type.isArray() ? type.get(0).asString() : type.asString("");
        }
    }

    /**
     * @param path       the operation's path on the gateway, with its {@code {variables}}
     * @param body       the JSON schema of its request body, with references resolved; null without one
     */
    record Operation(String service, String method, String path, List<Parameter> parameters, JsonNode body) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static List<Operation> all(GatewayClient gateway) {
        List<Operation> operations = new ArrayList<>();
        for (String service : List.of("orders", "catalog", "audit", "sync")) {
            GatewayClient.Response response = gateway.get("/api/" + service + "/v3/api-docs", null);
            if (response.status() != 200) {
                throw new AssertionError("The " + service + " API document: " + response.status() + " " + response.body());
            }
            JsonNode document = response.json();
            String server = document.path("servers").get(0).path("url").asString();
            for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
                for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                    JsonNode operation = method.getValue();
                    List<Parameter> parameters = new ArrayList<>();
                    operation.path("parameters").forEach(parameter -> parameters.add(new Parameter(
                            parameter.path("name").asString(), parameter.path("in").asString(),
                            resolve(document, parameter.path("schema")))));
                    JsonNode body = operation.path("requestBody").path("content").path("application/json").path("schema");
                    operations.add(new Operation(service, method.getKey().toUpperCase(), server + path.getKey(),
                            parameters, body.isMissingNode() ? null : resolve(document, body)));
                }
            }
        }
        return operations;
    }

    /** The schema with every {@code $ref} replaced by what it names (the services' schemas have no cycles). */
    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asString().substring("#/components/schemas/".length());
            return resolve(document, document.path("components").path("schemas").path(name));
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode object = (ObjectNode) schema.deepCopy();
        for (Map.Entry<String, JsonNode> member : schema.properties()) {
            if (member.getValue().isObject()) {
                if (member.getKey().equals("properties")) {
                    ObjectNode properties = object.putObject("properties");
                    member.getValue().properties().forEach(property ->
                            properties.set(property.getKey(), resolve(document, property.getValue())));
                } else {
                    object.set(member.getKey(), resolve(document, member.getValue()));
                }
            }
        }
        return object;
    }
}
