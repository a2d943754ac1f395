package io.polystore.e2e;

import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.PlatformPorts;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API contract, checked by third-party tools: the documents the platform serves are the ones checked in under
 * {@code api/openapi/} (from which the Java clients are generated), they pass Redocly's recommended rules, Prism does
 * fail a response outside its document, and no response the suite received through Prism was outside its document.
 * Last but the disaster recovery drill ({@link ClassOrderer.OrderAnnotation}), so that the last check covers every other
 * test's traffic; the drill, which restarts the platform, calls the gateway directly.
 */
@ExtendWith(RunningPlatform.class)
@Order(Integer.MAX_VALUE - 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContractIT {

    /** Set to {@code true} to write the served documents to {@code api/openapi/} instead of comparing them. */
    static final String WRITE_PROPERTY = "polystore.contract.write";

    private static final JsonMapper json = JsonMapper.builder().build();

    @Test
    @Order(1)
    void theServedDocumentsAreTheCheckedInOnes() throws IOException {
        Path checkedIn = RunningPlatform.repository().resolve("api/openapi");
        List<String> drifted = new ArrayList<>();
        for (String name : ContractProxy.DOCUMENTS.keySet()) {
            Path served = RunningPlatform.contract().document(name);
            Path expected = checkedIn.resolve(name + ".json");
            if (Boolean.getBoolean(WRITE_PROPERTY)) {
                Files.copy(served, expected, StandardCopyOption.REPLACE_EXISTING);
            } else if (!Files.exists(expected) || !json.readTree(served.toFile()).equals(json.readTree(expected.toFile()))) {
                drifted.add(name);
            }
        }
        assertThat(drifted).as("documents served by the platform (target/contract/) that differ from api/openapi/: "
                + "check the change, then run with -D%s=true to update them and regenerate the clients", WRITE_PROPERTY)
                .isEmpty();
    }

    @Test
    @Order(2)
    void everyDocumentPassesRedoclysRecommendedRules() throws IOException {
        ContractTools tools = ContractTools.installed(RunningPlatform.repository());
        List<Path> documents = ContractProxy.DOCUMENTS.keySet().stream()
                .map(name -> RunningPlatform.contract().document(name).toAbsolutePath()).toList();

        ContractTools.Result lint = tools.lint(documents);

        // One report per document.
        List<JsonNode> reports = json.readerFor(JsonNode.class).<JsonNode>readValues(lint.output()).readAll();
        List<String> problems = reports.stream().flatMap(report -> report.path("problems").valueStream())
                .map(problem -> problem.path("severity").asString() + " " + problem.path("ruleId").asString() + " at "
                        + problem.at("/location/0/source/ref").asString() + problem.at("/location/0/pointer").asString()
                        + ": " + problem.path("message").asString())
                .toList();
        assertThat(reports).as("Redocly's reports: %s", lint.errors()).hasSize(ContractProxy.DOCUMENTS.size());
        assertThat(problems).as("Redocly's findings (exit status %d)", lint.status()).isEmpty();
        assertThat(reports).allSatisfy(report ->
                assertThat(report.at("/totals/errors").asInt() + report.at("/totals/warnings").asInt()).isZero());
        assertThat(lint.status()).isZero();
    }

    /** Without this, a suite that never fails could mean a proxy that never checks. */
    @Test
    @Order(3)
    void prismFailsAResponseOutsideItsDocument() throws IOException {
        ContractTools tools = ContractTools.installed(RunningPlatform.repository());
        Path directory = RunningPlatform.contract().documents();
        ObjectNode wrong = (ObjectNode) json.readTree(directory.resolve("prism.json").toFile());
        // The last page's nextCursor is null, which this copy no longer allows.
        wrong.withObject("/components/schemas/orders_OrderPage/properties").putObject("nextCursor").put("type", "string");
        Path wrongDocument = directory.resolve("prism-wrong.json");
        json.writeValue(wrongDocument.toFile(), wrong);
        int port = PlatformPorts.freePort();
        Process prism = tools.startPrism(wrongDocument, RunningPlatform.platform().gatewayUrl(), port,
                RunningPlatform.platform().dataDirectory().resolve("logs/prism-wrong.log"));
        try {
            String lastPage = "/api/orders?placedBefore=2000-01-01T00:00:00Z";
            String token = RunningPlatform.platform().demoToken("CUSTOMER");
            GatewayClient.Response refused = new GatewayClient(URI.create("http://127.0.0.1:" + port)).get(lastPage, token);

            assertThat(refused.status()).as(refused.body()).isEqualTo(500);
            assertThat(refused.raw().headers().firstValue("sl-violations")).hasValueSatisfying(
                    violations -> assertThat(violations).contains("nextCursor"));
            GatewayClient.Response conforming = RunningPlatform.contract().client().get(lastPage, token);
            assertThat(conforming.status()).as(conforming.body()).isEqualTo(200);
            assertThat(conforming.json().path("nextCursor").isNull()).isTrue();
        } finally {
            ContractTools.stop(prism);
        }
    }

    @Test
    @Order(4)
    void everyResponseTheSuiteReceivedWasInsideItsDocument() {
        assertThat(RunningPlatform.contract().refusals()).as("requests Prism refused or found outside the documents "
                + "(details in target/e2e-platform/logs/prism.log)").isEmpty();
        assertThat(RunningPlatform.contract().checkedResponses()).as("responses Prism checked").isPositive();
    }
}
