package io.polystore.e2e;

import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.PlatformPorts;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stoplight Prism's validating proxy in front of the gateway, for the whole suite: the suite's clients call it, it
 * forwards to the gateway and checks every response against the API documents the platform serves. A response that
 * violates its document reaches the client as Prism's 500 with an {@code sl-violations} header, which
 * {@link #requireConforming} turns into a failure naming the operation and the violation; every one is also in
 * Prism's log ({@link #refusals()}).
 * <p>
 * The documents are fetched from the running gateway once, written to {@code target/contract/<name>.json} (the
 * gateway's address replaced by {@link #CANONICAL_GATEWAY}, as they are checked in under {@code api/openapi/}) and
 * merged into one document for Prism: each document's paths under its server path on the gateway, its components
 * prefixed with its name so that equal names of two services stay apart. Security requirements are left out of
 * Prism's copy only: Prism would answer a request without a token itself instead of letting the gateway refuse it.
 */
final class ContractProxy implements AutoCloseable {

    /** The five documents, by name, and where the gateway serves each. */
    static final Map<String, String> DOCUMENTS = servedAt();
    /** The gateway's address as the checked-in documents name it: {@code ./polystore}'s. */
    static final String CANONICAL_GATEWAY = "http://localhost:8080";

    private static final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final String REFUSED = "Request terminated with error";

    private final Process prism;
    private final URI url;
    private final Path log;
    private final Path directory;

    private ContractProxy(Process prism, URI url, Path log, Path directory) {
        this.prism = prism;
        this.url = url;
        this.log = log;
        this.directory = directory;
    }

    private static Map<String, String> servedAt() {
        Map<String, String> documents = new LinkedHashMap<>();
        for (String service : List.of("orders", "catalog", "audit", "sync")) {
            documents.put(service, "/api/" + service + "/v3/api-docs");
        }
        documents.put("gateway", "/v3/api-docs");
        return documents;
    }

    /** Fetches the documents from the gateway into {@code directory} and starts Prism in front of the gateway. */
    static ContractProxy start(URI gateway, ContractTools tools, Path directory, Path log) {
        try {
            Files.createDirectories(directory);
            GatewayClient client = new GatewayClient(gateway);
            ObjectNode merged = json.createObjectNode().put("openapi", "3.1.0");
            merged.putObject("info").put("title", "Polystore through the gateway").put("version", "v1");
            for (Map.Entry<String, String> document : DOCUMENTS.entrySet()) {
                GatewayClient.Response served = client.get(document.getValue(), null);
                if (served.status() != 200) {
                    throw new IllegalStateException("GET " + document.getValue() + " answered " + served.status());
                }
                JsonNode canonical = json.readTree(served.body().replace(gateway.toString().replaceAll("/$", ""), CANONICAL_GATEWAY));
                json.writeValue(directory.resolve(document.getKey() + ".json").toFile(), canonical);
                merge(document.getKey(), canonical, merged);
            }
            Path prismDocument = directory.resolve("prism.json");
            json.writeValue(prismDocument.toFile(), merged);
            int port = PlatformPorts.freePort();
            Process prism = tools.startPrism(prismDocument, gateway, port, log);
            return new ContractProxy(prism, URI.create("http://127.0.0.1:" + port), log, directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the API documents to " + directory, e);
        }
    }

    /** Where the suite's clients send their requests. */
    URI url() {
        return url;
    }

    /** Where the served documents are: {@code <name>.json}. */
    Path documents() {
        return directory;
    }

    Path document(String name) {
        return directory.resolve(name + ".json");
    }

    /** A client of the gateway through the proxy that fails on any response outside the documents. */
    GatewayClient client() {
        return new GatewayClient(url, ContractProxy::requireConforming);
    }

    /** Fails when Prism found the response outside its document, naming the operation and each violation. */
    static void requireConforming(GatewayClient.Response response) {
        response.raw().headers().firstValue("sl-violations").ifPresent(violations -> {
            throw new AssertionError(response.raw().request().method() + " " + response.raw().uri().getPath()
                    + " answered outside its OpenAPI document: " + violations);
        });
    }

    /** Every request Prism refused or failed since it started: its log line, which names the operation. */
    List<String> refusals() {
        try {
            return Files.readAllLines(log).stream().filter(line -> line.contains(REFUSED)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Prism's log " + log, e);
        }
    }

    /** How many responses Prism checked. */
    long checkedResponses() {
        try {
            return Files.readAllLines(log).stream().filter(line -> line.contains("Received forward response")).count();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Prism's log " + log, e);
        }
    }

    @Override
    public void close() {
        ContractTools.stop(prism);
    }

    /** Adds the document's paths and components to Prism's one document, as described above. */
    private static void merge(String name, JsonNode document, ObjectNode merged) {
        String serverPath = URI.create(document.path("servers").path(0).path("url").asString("/")).getPath()
                .replaceAll("/$", "");
        JsonNode renamed = withComponentsRenamed(name, document.deepCopy());
        renamed.path("paths").forEach(pathItem -> pathItem.forEach(operation -> {
            if (operation instanceof ObjectNode described) {
                described.remove("security");
            }
        }));
        renamed.path("paths").properties().forEach(path -> {
            if (merged.withObject("/paths").has(serverPath + path.getKey())) {
                throw new IllegalStateException("Two documents describe " + serverPath + path.getKey());
            }
            merged.withObject("/paths").set(serverPath + path.getKey(), path.getValue());
        });
        renamed.path("components").properties().forEach(type -> {
            if (!type.getKey().equals("securitySchemes")) {
                type.getValue().properties().forEach(component ->
                        merged.withObject("/components").withObject("/" + type.getKey()).set(component.getKey(), component.getValue()));
            }
        });
    }

    /** Prefixes every component's name, and every reference to one, with the document's name. */
    private static JsonNode withComponentsRenamed(String name, JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String field : List.copyOf(object.propertyNames())) {
                JsonNode value = object.get(field);
                if (field.equals("$ref") && value.isString() && value.asString().startsWith("#/components/")) {
                    String reference = value.asString();
                    int last = reference.lastIndexOf('/');
                    object.set(field, StringNode.valueOf(reference.substring(0, last + 1) + name + "_" + reference.substring(last + 1)));
                } else {
                    withComponentsRenamed(name, value);
                }
            }
            JsonNode components = object.get("components");
            if (components instanceof ObjectNode byType && object.has("paths")) {
                byType.properties().forEach(type -> {
                    if (type.getValue() instanceof ObjectNode ofType) {
                        Map<String, JsonNode> renamed = new LinkedHashMap<>();
                        ofType.properties().forEach(component -> renamed.put(name + "_" + component.getKey(), component.getValue()));
                        ofType.removeAll();
                        ofType.setAll(renamed);
                    }
                });
            }
        } else if (node != null && node.isArray()) {
            node.forEach(element -> withComponentsRenamed(name, element));
        }
        return node;
    }
}
