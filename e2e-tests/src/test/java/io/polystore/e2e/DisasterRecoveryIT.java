package io.polystore.e2e;

import io.polystore.testkit.backup.PlatformRestore;
import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.LocalPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The disaster recovery drill (issue 18): under a steady order load, a base backup, an erasure, then both stores'
 * data directories destroyed; the restore to the newest point is measured (RPO: orders answered 201 and lost; RTO:
 * restore start to the gateway taking orders again) and checked (every order terminal, stock conserved, no drift
 * after repair, the audit trail intact, the erased customer's data still unreadable). Then a point-in-time restore
 * brings back a product deleted by mistake. It stops and restarts the whole platform, so it runs last.
 */
@ExtendWith(RunningPlatform.class)
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DisasterRecoveryIT {

    private static final int INITIAL_STOCK = 1_000;
    private static LocalPlatform platform;
    private static Shop shop;

    @BeforeAll
    static void platform() {
        platform = RunningPlatform.platform();
        shop = new Shop(platform, platform.gateway());
    }

    @AfterAll
    static void stopRestoredPlatform() {
        // The suite's extension stops the platform it started; the restored ones are this class's to stop.
        if (platform != RunningPlatform.platform()) {
            platform.close();
        }
    }

    /** An order the load generator placed: answered 201 at {@code answeredAt}. */
    record Placed(String id, Map<String, Integer> lines, Instant answeredAt) {
    }

    @Test
    @Order(1)
    void afterTheStoresAreDestroyedARestoreToTheNewestPointLosesSecondsAndLeavesTheStoresInAgreement() throws Exception {
        List<String> products = List.of(shop.createProduct("Drill kettle", INITIAL_STOCK),
                shop.createProduct("Drill mug", INITIAL_STOCK));
        String erasedBefore = shop.placeOrder(Map.of(products.get(0), 1, products.get(1), 1));
        System.out.println("[drill] " + platform.backups().backUpNow().replace("\n", "\n[drill] "));

        List<Placed> placed = new ArrayList<>(List.of(new Placed(erasedBefore,
                Map.of(products.get(0), 1, products.get(1), 1), Instant.now())));
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread load = Thread.ofPlatform().name("drill-load").start(() -> {
            for (int i = 0; loading.get(); i++) {
                Map<String, Integer> lines = Map.of(products.get(i % 2), 1 + i % 3);
                try {
                    GatewayClient.Response response = shop.tryPlace(UUID.randomUUID().toString(), lines);
                    if (response.status() == 201) {
                        synchronized (placed) {
                            placed.add(new Placed(response.json().path("id").asString(), lines, Instant.now()));
                        }
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException unreachable) {
                    // The disaster: the gateway answers 5xx or not at all; the load stops right after.
                }
            }
        });
        Thread.sleep(Duration.ofSeconds(8));
        GatewayClient.Response erased = shop.gateway.send("DELETE", "/api/customers/alice/personal-data",
                shop.token("ADMIN"), null, Map.of());
        assertThat(erased.status()).as(erased.body()).isEqualTo(204);
        Instant erasedAt = Instant.now();
        Thread.sleep(Duration.ofSeconds(12));

        Instant disaster = destroyStoresData();
        loading.set(false);
        load.join();
        Map<String, Placed> answered = new LinkedHashMap<>();
        synchronized (placed) {
            placed.stream().filter(order -> order.answeredAt().isBefore(disaster)).forEach(order -> answered.put(order.id(), order));
        }
        platform.close();

        long restoreBegin = System.nanoTime();
        LocalPlatform.Restored restored = LocalPlatform.restore(platform.options(), null);
        platform = restored.platform();
        shop = new Shop(platform, platform.gateway());
        String afterRestore = shop.placeOrder(Map.of(products.get(0), 1));
        double rtoSeconds = (System.nanoTime() - restoreBegin) / 1e9;
        PlatformRestore.Report report = restored.report();
        report.steps().forEach(step -> System.out.println("[drill] " + step));

        Map<String, String> statuses = shop.statuses();
        List<Placed> lost = answered.values().stream().filter(order -> !statuses.containsKey(order.id())).toList();
        Instant newestKept = answered.values().stream().filter(order -> statuses.containsKey(order.id()))
                .map(Placed::answeredAt).max(Instant::compareTo).orElseThrow();
        Instant newestAnswered = answered.values().stream().map(Placed::answeredAt).max(Instant::compareTo).orElseThrow();
        double rpoSeconds = lost.isEmpty() ? 0 : Duration.between(newestKept, newestAnswered).toMillis() / 1000.0;
        System.out.printf("[drill] %d orders answered 201 before the disaster, %d lost (RPO %.1f s of orders); "
                        + "PostgreSQL restored to %s, SurrealDB to %s (newest archived change %s); RTO %.1f s%n",
                answered.size(), lost.size(), rpoSeconds, report.postgresPoint(), report.surrealPoint(),
                report.newestArchived(), rtoSeconds);
        System.out.println("[drill] audit trail as restored: " + report.auditTail() + "; consumers re-read "
                + report.redelivered() + "; relay offsets cleared: " + report.relayOffsetsCleared());
        assertThat(rpoSeconds).as("seconds of orders lost").isLessThanOrEqualTo(5.0);
        assertThat(rtoSeconds).as("seconds from the restore's start to an order taken").isLessThanOrEqualTo(300);

        // Every order ends; the catalog and the orders agree once reconciliation has repaired what the restore left.
        Map<String, Map<String, Integer>> kept = new LinkedHashMap<>();
        answered.values().stream().filter(order -> statuses.containsKey(order.id()))
                .forEach(order -> kept.put(order.id(), order.lines()));
        kept.put(afterRestore, Map.of(products.get(0), 1));
        Map<String, String> finalStatuses = shop.awaitTerminal(kept.keySet());
        repairUntilNoDrift();
        shop.assertStockConserved(products, INITIAL_STOCK, kept, finalStatuses);

        GatewayClient.Response verification = shop.gateway.get("/api/audit/verify", shop.token("AUDITOR"));
        assertThat(verification.status()).as(verification.body()).isEqualTo(200);
        assertThat(verification.json().path("status").asString()).as(verification.body()).isEqualTo("INTACT");

        // Erased before the disaster, after the base backup: the restore brought the key back, the erasure log took it.
        assertThat(shop.order(erasedBefore).path("personalDataErased").asBoolean()).as("erased customer's order").isTrue();
        Placed orderedAfterErasure = answered.values().stream()
                .filter(order -> order.answeredAt().isAfter(erasedAt.plusSeconds(1)) && statuses.containsKey(order.id()))
                .findFirst().orElseThrow();
        assertThat(shop.order(orderedAfterErasure.id()).path("personalDataErased").asBoolean())
                .as("an order placed after the erasure keeps its data (a new key)").isFalse();
    }

    @Test
    @Order(2)
    void aPointInTimeRestoreBringsBackAProductDeletedByMistake() throws Exception {
        String product = shop.createProduct("Drill lamp, deleted by mistake", 5);
        // Its ProductChanged reaches order-service, so both stores hold it well before the point.
        shop.placeOrder(Map.of(product, 1));
        Thread.sleep(Duration.ofSeconds(2));
        Instant beforeDeletion = Instant.now();
        Thread.sleep(Duration.ofSeconds(1));
        GatewayClient.Response deleted = shop.gateway.send("DELETE", "/api/catalog/products/" + product,
                shop.token("CATALOG_MANAGER"), null, Map.of());
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(shop.gateway.get("/api/catalog/products/" + product, shop.token("CUSTOMER")).status()).isEqualTo(404);
        // PostgreSQL recovers to a point only once WAL beyond it is archived: a few orders, then archive_timeout.
        String after = shop.placeOrder(Map.of(shop.createProduct("Drill spoon", 5), 1));
        shop.awaitTerminal(List.of(after));
        Thread.sleep(Duration.ofSeconds(5));
        platform.close();

        LocalPlatform.Restored restored = LocalPlatform.restore(platform.options(), beforeDeletion);
        platform = restored.platform();
        shop = new Shop(platform, platform.gateway());
        restored.report().steps().forEach(step -> System.out.println("[drill] " + step));

        GatewayClient.Response back = shop.gateway.get("/api/catalog/products/" + product, shop.token("CUSTOMER"));
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        assertThat(restored.report().postgresPoint()).isBefore(beforeDeletion.plusMillis(1));
        shop.awaitTerminal(shop.statuses().keySet());
        repairUntilNoDrift();
    }

    /**
     * Reconciliation with repair until a run finds no drift; it skips what changed within its grace period (10 s in
     * the local profile), so runs are a grace period apart.
     */
    private static void repairUntilNoDrift() {
        await("no drift after repair").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(11))
                .untilAsserted(() -> {
                    GatewayClient.Response run = shop.gateway.post("/api/sync/reconciliation/runs", shop.token("ADMIN"),
                            Map.of("repair", true));
                    assertThat(run.status()).as(run.body()).isEqualTo(201);
                    System.out.println("[drill] reconciliation: " + run.json().path("driftCount").asInt() + " drift "
                            + run.json().path("drift"));
                    assertThat(run.json().path("driftCount").asInt(-1)).as(run.body()).isZero();
                });
    }

    /** Kills PostgreSQL and the SurrealDB engine and deletes their data directories; returns when. */
    private static Instant destroyStoresData() throws IOException {
        Path data = platform.dataDirectory();
        Path postgres = data.resolve("postgres");
        long postmaster = Long.parseLong(Files.readAllLines(postgres.resolve("postmaster.pid")).getFirst().strip());
        Instant disaster = Instant.now();
        ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroyForcibly);
        String surrealData = data.resolve("surrealdb").toString();
        ProcessHandle.current().descendants()
                .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).contains(surrealData))
                .forEach(ProcessHandle::destroyForcibly);
        await("stores gone").atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(postmaster).isEmpty());
        for (Path directory : List.of(postgres, data.resolve("surrealdb"))) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
        return disaster;
    }
}
