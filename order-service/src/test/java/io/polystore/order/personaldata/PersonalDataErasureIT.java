package io.polystore.order.personaldata;

import io.polystore.order.support.Catalog;
import io.polystore.order.support.OrderApi;
import io.polystore.order.support.OrderApi.Response;
import io.polystore.order.support.OrderDatabase;
import io.polystore.order.support.OrderServiceIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static io.polystore.order.support.OrderApi.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@OrderServiceIntegrationTest
class PersonalDataErasureIT {

    @Autowired
    OrderApi api;

    @Autowired
    Catalog catalog;

    @Autowired
    OrderDatabase database;

    @Autowired
    PersonalDataVault vault;

    @Autowired
    JdbcClient jdbc;

    static String book;

    @BeforeEach
    void products() {
        if (book == null) {
            book = catalog.product("12.50", "EUR");
        }
    }

    @Test
    void personalDataIsStoredEncryptedOnly() {
        UUID orderId = api.placeOrder("judy-" + UUID.randomUUID(), book);

        byte[] stored = ciphertext(orderId);

        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("alice@example.com", "Alice", "Hauptstrasse");
        assertThat(stored.length).isGreaterThan(100);
    }

    @Test
    void erasureDestroysTheKeySoNoCopyOfTheDataDecryptsAnyMore() {
        String customer = "kim-" + UUID.randomUUID();
        UUID orderId = api.placeOrder(customer, book);
        Map<String, Object> row = jdbc.sql("SELECT personal_data_key_id, personal_data FROM customer_order WHERE id = :id")
                .param("id", orderId).query().singleRow();
        PersonalDataVault.Sealed backup = new PersonalDataVault.Sealed((UUID) row.get("personal_data_key_id"),
                (byte[]) row.get("personal_data"));
        assertThat(vault.open(customer, orderId.toString(), backup)).isPresent();

        Response erased = api.delete(token(customer, "CUSTOMER"), "/customers/" + customer + "/personal-data");

        assertThat(erased.status()).isEqualTo(204);
        assertThat(jdbc.sql("SELECT count(*) FROM keyvault.customer_key WHERE customer_id = :id").param("id", customer)
                .query(Long.class).single()).isZero();
        // The ciphertext is still in the table (and in any backup of it), but nothing can decrypt it.
        assertThat(ciphertext(orderId)).isEqualTo(backup.ciphertext());
        assertThat(vault.open(customer, orderId.toString(), backup)).isEmpty();
        JsonNode order = api.get(token(customer, "CUSTOMER"), "/orders/" + orderId).body();
        assertThat(order.path("personalDataErased").asBoolean()).isTrue();
        assertThat(order.path("personalData").isNull()).isTrue();
        assertThat(order.path("status").asString()).isEqualTo("PENDING");
        assertThat(database.outbox(customer)).anySatisfy(event -> {
            assertThat(event.type()).isEqualTo("io.polystore.audit.PersonalDataAccessed");
            assertThat(event.payload().path("action").asString()).isEqualTo("ERASE");
        });

        // A new order gets a new key, which does not open the old data either.
        UUID newer = api.placeOrder(customer, book);
        assertThat(api.get(token(customer, "CUSTOMER"), "/orders/" + newer).body().path("personalData").path("name")
                .asString()).isEqualTo("Alice Example");
        assertThat(vault.open(customer, orderId.toString(), backup)).isEmpty();
    }

    @Test
    void onlyTheCustomerThemselvesOrAnAdministratorErases() {
        String customer = "leo-" + UUID.randomUUID();
        UUID orderId = api.placeOrder(customer, book);

        assertThat(api.delete(token("mallory", "CUSTOMER"), "/customers/" + customer + "/personal-data").status()).isEqualTo(403);
        assertThat(api.delete(token("mia", "ORDER_MANAGER"), "/customers/" + customer + "/personal-data").status()).isEqualTo(403);
        assertThat(api.get(token(customer, "CUSTOMER"), "/orders/" + orderId).body().path("personalDataErased").asBoolean()).isFalse();

        assertThat(api.delete(token("root", "ADMIN"), "/customers/" + customer + "/personal-data").status()).isEqualTo(204);
        assertThat(api.get(token(customer, "CUSTOMER"), "/orders/" + orderId).body().path("personalDataErased").asBoolean()).isTrue();
    }

    @Test
    void aCiphertextMovedToAnotherOrderDoesNotDecrypt() {
        String customer = "mona-" + UUID.randomUUID();
        UUID first = api.placeOrder(customer, book);
        UUID second = api.placeOrder(customer, book);
        Map<String, Object> row = jdbc.sql("SELECT personal_data_key_id, personal_data FROM customer_order WHERE id = :id")
                .param("id", first).query().singleRow();
        PersonalDataVault.Sealed sealed = new PersonalDataVault.Sealed((UUID) row.get("personal_data_key_id"),
                (byte[]) row.get("personal_data"));

        assertThatThrownBy(() -> vault.open(customer, second.toString(), sealed))
                .isInstanceOf(IllegalStateException.class);
    }

    private byte[] ciphertext(UUID orderId) {
        return jdbc.sql("SELECT personal_data FROM customer_order WHERE id = :id").param("id", orderId)
                .query(byte[].class).single();
    }
}
