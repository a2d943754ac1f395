package io.polystore.e2e;

import io.polystore.e2e.ApiOperations.Operation;
import io.polystore.e2e.ApiOperations.Parameter;
import io.polystore.testkit.platform.GatewayClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-input suite (issue 16): every operation of every service's OpenAPI document, through the gateway,
 * with the token of a role the operation allows, and each of its parameters, body fields, whole bodies, content types
 * and headers replaced in turn by hostile values ({@link HostileValues}: SQL and SurrealQL injection, control
 * characters, NUL, lone surrogates, invalid UTF-8, huge, negative and fractional numbers, deep nesting, 100 KB texts,
 * duplicate keys, malformed JSON, wrong content types and charsets). Every answer must be below 500, and every
 * refusal an {@code application/problem+json} 4xx. What the APIs list is the same before and after, but for what was
 * legitimately accepted as data: each such text is read back and must be exactly what was sent (the proof that it
 * went into a query as a parameter, never as code), and is then removed again.
 */
@ExtendWith(RunningPlatform.class)
class HostileInputIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MARK = "@@hostile@@";
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");
    private static final Pattern LAST_INDEX = Pattern.compile("^(.*)\\[(\\d+)]$");
    /** Body fields whose every hostile text is tried; the others get {@link HostileValues#CORE_TEXTS}. */
    private static final Set<String> PROMINENT = Set.of("name", "sku", "description", "productId", "currency", "q",
            "actor", "subject", "cursor", "customerId", "category", "attr", "suite", "reason", "line1");
    /** Operations whose accepted calls do real work beyond storing data, so only their refusals are tried. */
    private static final Set<String> REFUSALS_ONLY = Set.of("POST /api/sync/reconciliation/runs",
            "POST /api/personal-data/keys/rewrap");

    private static Shop shop;
    private static HttpClient http;
    private static String soldOut;
    private static String target;
    private static String other;
    private static String category;
    private static String aliceOrder;

    /** One request of the suite and what to check when the platform accepts it. */
    /** The body is made when the case is sent: a replacement names the product's version current then. */
    private record Case(Operation operation, String what, String role, String method, String pathAndQuery,
                        Map<String, String> headers, Supplier<byte[]> body, boolean raw, String textPath, String text) {
    }

    private record Answer(int status, String contentType, String body, String location) {
    }

    /**
     * The gateway itself, not the contract proxy: the hostile requests are sent as they are written, and Prism would
     * interpret some of them (paths, redirects) itself instead of passing them on.
     */
    private static GatewayClient gateway() {
        return new GatewayClient(RunningPlatform.platform().gatewayUrl());
    }

    @BeforeAll
    static void prepare() {
        // Its read-backs go to the gateway too: an operation without a Location is read back at its own path, which
        // for some (a stock adjustment) answers only POST, outside the contract the proxy checks.
        shop = new Shop(RunningPlatform.platform(), gateway());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        soldOut = shop.createProduct("Hostile suite, sold out", 0);
        target = shop.createProduct("Hostile suite, target", 10);
        other = shop.createProduct("Hostile suite, other", 10);
        GatewayClient.Response created = shop.gateway.post("/api/catalog/categories", shop.token("CATALOG_MANAGER"),
                Map.of("name", "Hostile suite"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        category = created.json().path("id").asString();
        aliceOrder = shop.placeOrder(Map.of(target, 1));
        // order-service prices from the catalog's events: wait until it knows the sold-out product.
        shop.awaitStatus(shop.placeOrder(Map.of(soldOut, 1)), "REJECTED");
    }

    @Test
    void noHostileInputGetsA5xxEveryRefusalIsAProblemAndNothingIsWrittenButVerbatimData() throws Exception {
        Map<String, String> before = snapshot();
        List<Case> cases = new ArrayList<>();
        List<Operation> operations = ApiOperations.all(gateway());
        operations.forEach(operation -> cases.addAll(cases(operation)));
        assertThat(operations).as("operations in the API documents").hasSizeGreaterThan(25);

        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ConcurrentLinkedQueue<String> createdProducts = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> createdCategories = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> placedOrders = new ConcurrentLinkedQueue<>();
        AtomicInteger accepted = new AtomicInteger();
        Map<String, List<Case>> byOperation = new LinkedHashMap<>();
        cases.forEach(test -> byOperation.computeIfAbsent(test.operation().toString(), key -> new ArrayList<>()).add(test));
        long begin = System.nanoTime();
        // An operation's cases one after the other (they may change the same product); four operations at a time.
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> running = new ArrayList<>();
            for (List<Case> ofOperation : byOperation.values()) {
                running.add(pool.submit(() -> {
                    for (Case test : ofOperation) {
                        Answer answer = send(test);
                        check(test, answer, failures, createdProducts, createdCategories, placedOrders, accepted);
                    }
                }));
            }
            for (Future<?> task : running) {
                task.get();
            }
        }
        System.out.printf("[hostile] %d cases on %d operations in %.1f s, %d accepted as data%n", cases.size(),
                operations.size(), (System.nanoTime() - begin) / 1e9, accepted.get());

        createdProducts.forEach(id -> shop.gateway.send("DELETE", "/api/catalog/products/" + id,
                shop.token("CATALOG_MANAGER"), null, Map.of()));
        createdCategories.forEach(id -> shop.gateway.send("DELETE", "/api/catalog/categories/" + id,
                shop.token("CATALOG_MANAGER"), null, Map.of()));
        // Orders accepted with hostile personal data are of a sold-out product: the saga rejects them.
        shop.awaitTerminal(placedOrders);
        assertThat(failures).as("hostile requests answered wrongly").isEmpty();
        assertThat(cases).as("cases").hasSizeGreaterThan(500);
        assertThat(snapshot()).as("what the APIs list, but for the suite's own product, category and orders")
                .isEqualTo(before);
    }

    // What is sent

    private static List<Case> cases(Operation operation) {
        if (REFUSALS_ONLY.contains(operation.toString())) {
            return List.of();
        }
        List<Case> cases = new ArrayList<>();
        String role = role(operation);
        Map<String, String> pathValues = new LinkedHashMap<>();
        Map<String, String> queryValues = new LinkedHashMap<>();
        for (Parameter parameter : operation.parameters()) {
            if (parameter.in().equals("path")) {
                pathValues.put(parameter.name(), pathValue(operation, parameter.name()));
            } else if (parameter.in().equals("query")) {
                String baseline = queryValue(parameter);
                if (baseline != null) {
                    queryValues.put(parameter.name(), baseline);
                }
            }
        }
        Supplier<JsonNode> body = operation.body() == null ? null : () -> baseline(operation, operation.body(), "");
        for (Parameter parameter : operation.parameters()) {
            if (parameter.in().equals("header")) {
                continue;
            }
            List<String> values = new ArrayList<>(PROMINENT.contains(parameter.name()) || parameter.in().equals("path")
                    ? HostileValues.TEXTS : HostileValues.CORE_TEXTS);
            if (List.of("integer", "number").contains(parameter.type())) {
                values.addAll(HostileValues.NUMBERS);
            }
            for (String value : values) {
                if (value.isEmpty() && parameter.in().equals("path")) {
                    continue;
                }
                Map<String, String> path = new LinkedHashMap<>(pathValues);
                Map<String, String> query = new LinkedHashMap<>(queryValues);
                (parameter.in().equals("path") ? path : query).put(parameter.name(), value);
                cases.add(request(operation, parameter.in() + " " + parameter.name() + " = " + shown(value), role,
                        path, query, body));
            }
        }
        if (body == null) {
            return cases;
        }
        // Each field of the body in turn.
        List<String> fields = new ArrayList<>();
        leaves(body.get(), "", fields);
        for (String field : fields) {
            JsonNode baselineValue = at(body.get(), field);
            boolean number = baselineValue.isNumber();
            String last = field.substring(field.lastIndexOf('.') + 1).replaceAll("\\[\\d+]", "");
            List<String> literals = new ArrayList<>();
            (PROMINENT.contains(last) ? HostileValues.TEXTS : HostileValues.CORE_TEXTS).forEach(text -> literals.add(quoted(text)));
            if (number) {
                literals.addAll(HostileValues.NUMBERS);
            }
            for (String literal : literals) {
                // Only a text field keeps a text as it is; a number or flag may take "1" as 1.
                boolean text = literal.startsWith("\"") && baselineValue.isString();
                Supplier<JsonNode> mutated = () -> {
                    JsonNode tree = body.get();
                    set(tree, field, JsonNodeFactory.instance.stringNode(MARK));
                    return tree;
                };
                cases.add(new CaseBuilder(operation, "body " + field + " = " + shown(literal), role, pathValues,
                        queryValues).json(mutated, literal).verbatim(text ? field : null, text ? unquoted(literal) : null)
                        .build());
            }
        }
        // The whole body, its encoding and its type.
        for (String whole : HostileValues.BODIES) {
            cases.add(new CaseBuilder(operation, "body " + shown(whole), role, pathValues, queryValues)
                    .bytes(whole.getBytes(StandardCharsets.UTF_8), "application/json").build());
        }
        Supplier<String> valid = () -> JSON.writeValueAsString(body.get());
        cases.add(new CaseBuilder(operation, "duplicate first key", role, pathValues, queryValues)
                .bytes(() -> {
                    String json = valid.get();
                    String firstKey = json.substring(1, json.indexOf(':') + 1);
                    return ("{" + firstKey + "null," + json.substring(1)).getBytes(StandardCharsets.UTF_8);
                }, "application/json").build());
        cases.add(new CaseBuilder(operation, "invalid UTF-8 in the body", role, pathValues, queryValues)
                .bytes(() -> withBytes(valid.get(), new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xED,
                        (byte) 0xA0, (byte) 0x80}), "application/json").build());
        cases.add(new CaseBuilder(operation, "body over 1 MB", role, pathValues, queryValues)
                .bytes(("{\"x\":\"" + "a".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8), "application/json").build());
        for (String contentType : HostileValues.CONTENT_TYPES) {
            cases.add(new CaseBuilder(operation, "Content-Type " + contentType, role, pathValues, queryValues)
                    .bytes(() -> valid.get().getBytes(StandardCharsets.UTF_8), contentType).build());
        }
        cases.add(new CaseBuilder(operation, "no Content-Type", role, pathValues, queryValues)
                .bytes(() -> valid.get().getBytes(StandardCharsets.UTF_8), null).build());
        if (operation.toString().equals("POST /api/orders")) {
            for (String key : List.of("k\u00e9y", "\u00e2\u0082\u00ac", "nul\u0000key", "bell\u0007", "two words",
                    "x".repeat(201), "line\nbreak")) {
                cases.add(new CaseBuilder(operation, "Idempotency-Key " + shown(key), role, pathValues, queryValues)
                        .bytes(() -> valid.get().getBytes(StandardCharsets.UTF_8), "application/json").header("Idempotency-Key", key)
                        .raw().build());
            }
        }
        return cases;
    }

    /** A role the gateway's rules and the operation's own rule allow (the suite tests input, not access). */
    private static String role(Operation operation) {
        String path = operation.path();
        if (path.startsWith("/api/orders/all")) {
            return "ORDER_MANAGER";
        }
        if (path.startsWith("/api/orders") || path.startsWith("/api/customers")) {
            return "CUSTOMER";
        }
        if (path.startsWith("/api/catalog")) {
            return operation.method().equals("GET") ? "CUSTOMER" : "CATALOG_MANAGER";
        }
        if (path.startsWith("/api/audit/subjects")) {
            return "CUSTOMER";
        }
        return path.startsWith("/api/audit") ? "AUDITOR" : "ADMIN";
    }

    private static String pathValue(Operation operation, String name) {
        String path = operation.path();
        return switch (name) {
            case "orderId" -> path.startsWith("/api/orders") ? aliceOrder : UUID.randomUUID().toString();
            case "customerId", "person" -> "alice";
            case "productId" -> target;
            case "relatedId" -> other;
            case "id" -> path.contains("/categories/") ? category
                    : path.contains("/products/") ? target : UUID.randomUUID().toString();
            default -> "x";
        };
    }

    /** Bounded baselines for what would otherwise read much: a position, a time window of one day in 2000. */
    private static String queryValue(Parameter parameter) {
        String format = parameter.schema().path("format").asString("");
        if (format.equals("date-time")) {
            return parameter.name().equals("to") || parameter.name().equals("placedBefore")
                    ? "2000-01-02T00:00:00Z" : "2000-01-01T00:00:00Z";
        }
        return List.of("integer", "number").contains(parameter.type()) ? "1" : null;
    }

    /** A body the operation would accept, from its schema and what the suite knows (products, category). */
    private static JsonNode baseline(Operation operation, JsonNode schema, String name) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        String type = schema.path("type").isArray() ? schema.path("type").get(0).asString() : schema.path("type").asString("");
        if (schema.has("properties")) {
            ObjectNode object = nodes.objectNode();
            schema.path("properties").properties().forEach(property ->
                    object.set(property.getKey(), baseline(operation, property.getValue(), property.getKey())));
            return object;
        }
        return switch (name) {
            case "currency" -> nodes.stringNode("EUR");
            case "country" -> nodes.stringNode("DE");
            case "email" -> nodes.stringNode("alice@example.com");
            case "phone" -> nodes.stringNode("+49 30 1234567");
            case "productId" -> nodes.stringNode(soldOut);
            case "postalCode" -> nodes.stringNode("10115");
            case "sku" -> nodes.stringNode("HOSTILE-" + UUID.randomUUID());
            case "amount" -> nodes.numberNode(new BigDecimal("1.00"));
            case "parentId" -> nodes.nullNode();
            case "categoryIds" -> nodes.arrayNode();
            case "attributes" -> nodes.objectNode().put("suite", "hostile");
            case "version" -> nodes.numberNode(currentVersion(operation));
            case "active" -> nodes.booleanNode(true);
            case "repair" -> nodes.booleanNode(false);
            default -> switch (type) {
                case "array" -> nodes.arrayNode().add(baseline(operation, schema.path("items"), name));
                case "integer", "number" -> nodes.numberNode(1);
                case "boolean" -> nodes.booleanNode(false);
                case "object" -> nodes.objectNode().put("suite", "hostile");
                default -> nodes.stringNode(name.isEmpty() ? "x" : "Hostile " + name);
            };
        };
    }

    /** The target product's version, for a replacement that is not refused for being stale. */
    private static long currentVersion(Operation operation) {
        if (!operation.path().contains("/products/")) {
            return 1;
        }
        return shop.gateway.get("/api/catalog/products/" + target, shop.token("CUSTOMER")).json().path("version").asLong();
    }

    /** Builds one case: the path with its values, the query, the body and its type, headers. */
    private static final class CaseBuilder {
        private final Operation operation;
        private final String what;
        private final String role;
        private final Map<String, String> path;
        private final Map<String, String> query;
        private final Map<String, String> headers = new TreeMap<>();
        private Supplier<byte[]> body;
        private String contentType;
        private boolean raw;
        private String textPath;
        private String text;

        CaseBuilder(Operation operation, String what, String role, Map<String, String> path, Map<String, String> query) {
            this.operation = operation;
            this.what = what;
            this.role = role;
            this.path = path;
            this.query = query;
        }

        /** The body as JSON, with the field marked by {@link #MARK} replaced by this JSON text. */
        CaseBuilder json(Supplier<JsonNode> tree, String literal) {
            this.body = () -> JSON.writeValueAsString(tree.get()).replace("\"" + MARK + "\"", literal)
                    .getBytes(StandardCharsets.UTF_8);
            this.contentType = "application/json";
            return this;
        }

        CaseBuilder bytes(byte[] bytes, String contentType) {
            return bytes(() -> bytes, contentType);
        }

        CaseBuilder bytes(Supplier<byte[]> bytes, String contentType) {
            this.body = bytes;
            this.contentType = contentType;
            return this;
        }

        CaseBuilder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        CaseBuilder raw() {
            this.raw = true;
            return this;
        }

        CaseBuilder verbatim(String textPath, String text) {
            this.textPath = textPath;
            this.text = text;
            return this;
        }

        Case build() {
            Map<String, String> all = new TreeMap<>(headers);
            if (operation.toString().equals("POST /api/orders")) {
                all.putIfAbsent("Idempotency-Key", UUID.randomUUID().toString());
            }
            if (contentType != null) {
                all.put("Content-Type", contentType);
            }
            return new Case(operation, what, role, operation.method(), target(operation, path, query), all, body, raw,
                    textPath, text);
        }
    }

    /** A case with a hostile parameter: the body, if the operation has one, is the valid one. */
    private static Case request(Operation operation, String what, String role, Map<String, String> path,
                                Map<String, String> query, Supplier<JsonNode> body) {
        CaseBuilder builder = new CaseBuilder(operation, what, role, path, query);
        if (body != null) {
            builder.bytes(() -> JSON.writeValueAsBytes(body.get()), "application/json");
        }
        return builder.build();
    }

    private static String target(Operation operation, Map<String, String> path, Map<String, String> query) {
        String result = operation.path();
        for (Map.Entry<String, String> value : path.entrySet()) {
            result = result.replace("{" + value.getKey() + "}", encode(value.getValue()).replace("+", "%20"));
        }
        StringBuilder target = new StringBuilder(result);
        char separator = '?';
        for (Map.Entry<String, String> value : query.entrySet()) {
            target.append(separator).append(encode(value.getKey())).append('=').append(encode(value.getValue()));
            separator = '&';
        }
        return target.toString();
    }

    /** Percent-encoded as UTF-8; a lone surrogate has no UTF-8 form, so its code unit is sent as CESU bytes. */
    private static String encode(String value) {
        StringBuilder encoded = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1)))) {
                encoded.append(String.format("%%%02X%%%02X%%%02X", 0xE0 | (c >> 12), 0x80 | ((c >> 6) & 0x3F), 0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c)) {
                encoded.append(URLEncoder.encode(value.substring(i, i + 2), StandardCharsets.UTF_8));
                i++;
            } else {
                encoded.append(URLEncoder.encode(String.valueOf(c), StandardCharsets.UTF_8));
            }
        }
        return encoded.toString();
    }

    // How it is sent

    private static Answer send(Case test) {
        for (int attempt = 0; ; attempt++) {
            Answer answer = test.raw() ? sendRaw(test) : sendWithClient(test);
            if (answer.status() != 429 || attempt > 20) {
                return answer;
            }
            sleep(Duration.ofSeconds(1));
        }
    }

    private static Answer sendWithClient(Case test) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway().base().resolve(test.pathAndQuery()))
                .timeout(Duration.ofSeconds(60))
                .method(test.method(), test.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(test.body().get()))
                .header("Authorization", "Bearer " + shop.token(test.role()));
        test.headers().forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(test.operation() + " " + test.what() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Bytes no HTTP client library would send, in headers: one byte per character, the connection closed after. */
    private static Answer sendRaw(Case test) {
        URI base = gateway().base();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        byte[] body = test.body() == null ? new byte[0] : test.body().get();
        StringBuilder head = new StringBuilder(test.method() + " " + test.pathAndQuery() + " HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                .append("Authorization: Bearer ").append(shop.token(test.role())).append("\r\n")
                .append("Connection: close\r\n");
        test.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            String headers = response.substring(0, headEnd);
            String contentType = headers.lines().filter(line -> line.toLowerCase().startsWith("content-type:"))
                    .map(line -> line.substring("content-type:".length()).strip()).findFirst().orElse("");
            return new Answer(Integer.parseInt(response.substring(9, 12)), contentType, response.substring(headEnd + 4), null);
        } catch (IOException e) {
            throw new UncheckedIOException(test.operation() + " " + test.what() + ": " + e.getMessage(), e);
        }
    }

    // What is checked

    private static void check(Case test, Answer answer, List<String> failures, ConcurrentLinkedQueue<String> products,
                              ConcurrentLinkedQueue<String> categories, ConcurrentLinkedQueue<String> orders,
                              AtomicInteger accepted) {
        String name = test.operation() + " with " + test.what() + " as " + test.role();
        if (answer.status() >= 500) {
            failures.add(name + ": " + answer.status() + " " + abbreviated(answer.body()));
            return;
        }
        if (answer.status() >= 400) {
            if (!answer.contentType().startsWith("application/problem+json")) {
                failures.add(name + ": " + answer.status() + " as " + answer.contentType() + ", not problem details");
            }
            return;
        }
        if (test.method().equals("GET")) {
            return;
        }
        accepted.incrementAndGet();
        JsonNode created = parse(answer.body());
        if (test.method().equals("POST") && test.operation().path().equals("/api/catalog/products")) {
            products.add(created.path("id").asString());
        } else if (test.method().equals("POST") && test.operation().path().equals("/api/catalog/categories")) {
            categories.add(created.path("id").asString());
        } else if (test.method().equals("POST") && test.operation().path().equals("/api/orders")) {
            orders.add(created.path("id").asString());
        }
        if (test.textPath() == null) {
            return;
        }
        // Read back what was stored, at the address the API gave for it (issue 16: a public /api/... address).
        String address = answer.location() != null ? URI.create(answer.location()).getRawPath() : test.pathAndQuery();
        if (!address.startsWith("/api/")) {
            failures.add(name + ": Location " + answer.location() + " is not a public address");
            return;
        }
        if (test.method().equals("POST") && address.endsWith("/cancel")) {
            return;
        }
        GatewayClient.Response stored = shop.gateway.get(address, shop.token(test.role().equals("CATALOG_MANAGER")
                ? "CATALOG_MANAGER" : "CUSTOMER"));
        JsonNode value = at(stored.json(), readBackPath(test.textPath()));
        if (stored.status() == 200 && !value.isMissingNode() && !test.text().equals(value.asString())) {
            failures.add(name + ": stored as " + shown(value.asString()) + " instead of " + shown(test.text()));
        }
    }

    /** Where an order's personal data is in its view; other resources read back at the path they were written. */
    private static String readBackPath(String written) {
        if (written.startsWith("customer.")) {
            return "personalData." + written.substring("customer.".length());
        }
        return written.startsWith("shippingAddress.") ? "personalData." + written : written;
    }

    // What the APIs list, before and after

    /**
     * Every product (id, name, version, stock), category and order, and the reconciliation runs, but for the suite's
     * own target product and category (which accepted changes may change) and alice's orders of sold-out products
     * (which accepted orders add, and which the saga rejects).
     */
    private static Map<String, String> snapshot() {
        Map<String, String> state = new TreeMap<>();
        String cursor = null;
        do {
            JsonNode page = shop.gateway.get("/api/catalog/products?includeInactive=true&limit=500"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
                    shop.token("CATALOG_MANAGER")).json();
            page.path("items").forEach(product -> {
                String id = product.path("id").asString();
                if (!id.equals(target)) {
                    state.put("product " + id, product.path("name").asString() + " v" + product.path("version").asString());
                }
            });
            cursor = page.path("nextCursor").isString() ? page.path("nextCursor").asString() : null;
        } while (cursor != null);
        for (String product : List.of(soldOut, other)) {
            state.put("inventory " + product, shop.inventory(product).toString());
        }
        state.put("categories", withoutCategory(shop.gateway.get("/api/catalog/categories",
                shop.token("CATALOG_MANAGER")).json()).toString());
        cursor = null;
        do {
            JsonNode page = shop.gateway.get("/api/orders/all?limit=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
                    shop.token("ORDER_MANAGER")).json();
            page.path("items").forEach(order -> {
                if (!"alice".equals(order.path("customerId").asString()) || !"REJECTED".equals(order.path("status").asString())) {
                    state.put("order " + order.path("id").asString(), order.path("status").asString());
                }
            });
            cursor = page.path("nextCursor").isString() ? page.path("nextCursor").asString() : null;
        } while (cursor != null);
        // Manual runs only: sync-service's scheduled run (every 5 minutes) may fall between the two snapshots.
        int manualRuns = 0;
        for (JsonNode run : shop.gateway.get("/api/sync/reconciliation/runs?limit=100", shop.token("ADMIN")).json()) {
            manualRuns += "MANUAL".equals(run.path("trigger").asString()) ? 1 : 0;
        }
        state.put("manual reconciliation runs", Integer.toString(manualRuns));
        return state;
    }

    /** The category tree without the suite's own category, which accepted renames change. */
    private static JsonNode withoutCategory(JsonNode node) {
        if (node.isArray()) {
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> {
                if (!category.equals(element.path("id").asString())) {
                    kept.add(withoutCategory(element));
                }
            });
            return kept;
        }
        if (node.isObject()) {
            ObjectNode kept = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(member -> kept.set(member.getKey(), withoutCategory(member.getValue())));
            return kept;
        }
        return node;
    }

    // JSON and text helpers

    private static void leaves(JsonNode node, String path, List<String> into) {
        if (node.isObject()) {
            node.properties().forEach(member -> leaves(member.getValue(), path.isEmpty() ? member.getKey()
                    : path + "." + member.getKey(), into));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                leaves(node.get(i), path + "[" + i + "]", into);
            }
        } else if (!node.isNull() && !path.isEmpty()) {
            into.add(path);
        }
    }

    private static JsonNode at(JsonNode tree, String path) {
        JsonNode node = tree;
        for (String step : path.split("\\.")) {
            String name = step.replaceAll("\\[\\d+]", "");
            node = node.path(name);
            Matcher index = INDEX.matcher(step);
            while (index.find()) {
                node = node.path(Integer.parseInt(index.group(1)));
            }
        }
        return node;
    }

    private static void set(JsonNode tree, String path, JsonNode value) {
        int dot = path.lastIndexOf('.');
        String last = path.substring(dot + 1);
        JsonNode parent = dot < 0 ? tree : at(tree, path.substring(0, dot));
        Matcher index = LAST_INDEX.matcher(last);
        if (index.matches()) {
            JsonNode array = index.group(1).isEmpty() ? parent : parent.path(index.group(1));
            ((ArrayNode) array).set(Integer.parseInt(index.group(2)), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
    }

    /** A JSON string literal of any text, lone surrogates included, every non-ASCII character escaped. */
    private static String quoted(String text) {
        StringBuilder literal = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                literal.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7F) {
                literal.append(String.format("\\u%04x", (int) c));
            } else {
                literal.append(c);
            }
        }
        return literal.append('"').toString();
    }

    private static String unquoted(String literal) {
        return JSON.readValue(literal, String.class);
    }

    private static byte[] withBytes(String json, byte[] bytes) {
        int quote = json.indexOf("\":\"");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (quote < 0) {
            out.writeBytes(bytes);
            out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        } else {
            out.writeBytes(json.substring(0, quote + 3).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(bytes);
            out.writeBytes(json.substring(quote + 3).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return JSON.missingNode();
        }
    }

    private static String shown(String value) {
        return quoted(value.length() > 40 ? value.substring(0, 40) + "... (" + value.length() + " chars)" : value);
    }

    private static String abbreviated(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
