package io.polystore.gateway.access;

import io.polystore.gateway.Role;
import io.polystore.gateway.support.EchoUpstreams;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.GatewayIntegrationTest;
import io.polystore.gateway.support.TestTokens;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every caller (anonymous and each role) against every method and path the configured rules name, plus methods and
 * paths they do not name, checked against the running gateway. The expected decision is worked out here from the
 * rules themselves: the first rule matching method and path decides, and no match means deny.
 */
@GatewayIntegrationTest
class AccessMatrixIT {

    private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);

    @Value("${local.server.port}")
    int port;

    @Autowired
    AccessProperties access;

    record Case(HttpMethod method, String path, Role role) {
        @Override
        public String toString() {
            return (role == null ? "anonymous" : role) + " " + method + " " + path;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRoleAgainstEveryRule() {
        GatewayHttp gateway = GatewayHttp.on(port);
        return cases().stream().map(test -> DynamicTest.dynamicTest(test.toString(), () -> check(gateway, test)));
    }

    /** The federation's rules spelled out, so that a change to the rules that drops them is caught here too. */
    @TestFactory
    Stream<DynamicTest> federatedReportsForOrderManagersAndQueriesForAuditors() {
        GatewayHttp gateway = GatewayHttp.on(port);
        Map<Case, Boolean> expectations = new java.util.LinkedHashMap<>();
        String report = "/api/sync/reports/revenue-by-category";
        expectations.put(new Case(HttpMethod.GET, report, Role.ORDER_MANAGER), true);
        expectations.put(new Case(HttpMethod.GET, report, Role.ADMIN), true);
        expectations.put(new Case(HttpMethod.GET, report, Role.AUDITOR), false);
        expectations.put(new Case(HttpMethod.GET, report, Role.CUSTOMER), false);
        expectations.put(new Case(HttpMethod.POST, report, Role.ORDER_MANAGER), false);
        expectations.put(new Case(HttpMethod.POST, "/api/sync/query", Role.AUDITOR), true);
        expectations.put(new Case(HttpMethod.POST, "/api/sync/query", Role.ADMIN), true);
        expectations.put(new Case(HttpMethod.POST, "/api/sync/query", Role.ORDER_MANAGER), false);
        expectations.put(new Case(HttpMethod.POST, "/api/sync/query", Role.CUSTOMER), false);
        expectations.put(new Case(HttpMethod.GET, "/api/sync/query", Role.AUDITOR), false);
        expectations.put(new Case(HttpMethod.POST, "/api/sync/reconciliation/runs", Role.AUDITOR), false);
        expectations.put(new Case(HttpMethod.POST, "/api/sync/reconciliation/runs", Role.ORDER_MANAGER), false);
        return expectations.entrySet().stream().map(expectation -> DynamicTest.dynamicTest(expectation.getKey().toString(), () -> {
            assertThat(expectAllowed(expectation.getKey())).as("the rules allow %s", expectation.getKey())
                    .isEqualTo(expectation.getValue());
            check(gateway, expectation.getKey());
        }));
    }

    private List<Case> cases() {
        List<String> paths = new ArrayList<>();
        access.rules().forEach(rule -> rule.paths().forEach(pattern -> paths.add(samplePath(pattern))));
        // Paths no rule names, next to the routed ones.
        paths.addAll(List.of("/api/unknown/things", "/api", "/internal/admin", "/actuator/env", "/api/ordersx/1"));
        List<Role> callers = new ArrayList<>(Arrays.asList(Role.values()));
        callers.add(null);
        List<Case> cases = new ArrayList<>();
        for (String path : paths.stream().distinct().toList()) {
            for (HttpMethod method : METHODS) {
                for (Role role : callers) {
                    cases.add(new Case(method, path, role));
                }
            }
        }
        return cases;
    }

    private final Map<Role, String> tokens = new EnumMap<>(Role.class);

    /** As order-service's own rules: auditors read an order (its personal data masked) and its history, no more. */
    @Test
    void auditorsReadSingleOrdersAndTheirHistory() {
        GatewayHttp gateway = GatewayHttp.on(port);
        String auditor = TestTokens.valid("matrix-auditor", Role.AUDITOR.name());

        assertThat(gateway.get("/api/orders/order-1", auditor).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/api/orders/order-1/history", auditor).statusCode()).isEqualTo(200);
        assertThat(gateway.send("POST", "/api/orders/order-1/cancel", auditor).statusCode()).isEqualTo(403);
        assertThat(gateway.send("POST", "/api/orders", auditor).statusCode()).isEqualTo(403);
        assertThat(gateway.get("/api/orders", auditor).statusCode()).isEqualTo(403);
    }

    private void check(GatewayHttp gateway, Case test) {
        String token = test.role() == null ? null : tokens.computeIfAbsent(test.role(),
                role -> TestTokens.valid("matrix-" + role.name().toLowerCase(), role.name()));
        HttpResponse<String> response = gateway.send(test.method().name(), test.path(), token);

        if (expectAllowed(test)) {
            assertThat(response.statusCode()).as("%s is allowed", test).isNotIn(401, 403);
            String service = routedService(test.path());
            if (service != null && test.method() != HttpMethod.HEAD) {
                assertThat(response.statusCode()).as("%s reaches %s", test, service).isEqualTo(200);
                String answer = test.path().endsWith("/v3/api-docs") && test.method() == HttpMethod.GET
                        ? GatewayHttp.json(response).path("info").path("title").asString()
                        : GatewayHttp.json(response).path("service").asString();
                assertThat(answer).as("%s answered by %s", test, service).startsWith(service);
            }
        } else {
            assertThat(response.statusCode()).as("%s is denied", test).isEqualTo(test.role() == null ? 401 : 403);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    /** The first rule naming the method and path decides; when none does, the request is denied. */
    private boolean expectAllowed(Case test) {
        PathContainer path = PathContainer.parsePath(test.path());
        for (AccessRule rule : access.rules()) {
            boolean methodMatches = rule.methods().isEmpty() || rule.methods().contains(test.method());
            boolean pathMatches = rule.paths().stream()
                    .map(PathPatternParser.defaultInstance::parse)
                    .anyMatch((PathPattern pattern) -> pattern.matches(path));
            if (methodMatches && pathMatches) {
                return rule.anonymous() || (test.role() != null && rule.roles().contains(test.role()));
            }
        }
        return false;
    }

    private static String routedService(String path) {
        return EchoUpstreams.SERVICES.stream()
                .filter(service -> path.startsWith("/api/" + service + "/"))
                .findFirst().orElse(null);
    }

    /** A concrete path a pattern matches: wildcards and variables replaced by plain segments. */
    private static String samplePath(String pattern) {
        return pattern.replace("/**", "/matrix/item-1").replace("*", "any").replaceAll("\\{[^}]+}", "id-1");
    }
}
