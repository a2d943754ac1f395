package io.polystore.gateway.routing;

import io.polystore.gateway.routing.HomeRegionRequests.Forwarding;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.security.oauth2.jwt.Jwt;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which requests only the caller's home region serves: order-service's {@code @HomeRegionOnly}, as routed here. */
class HomeRegionRequestsTest {

    private final HomeRegionRequests rules = new HomeRegionRequests("region-1");

    @Test
    void aCustomerOfAnotherRegionNeedsItForTheirOrdersPersonalDataAndAccount() {
        Jwt bob = token("bob", "region-2", "CUSTOMER");

        assertThat(needed(HttpMethod.POST, "/api/orders", bob)).contains(new HomeRegionRequests.HomeRegionRequest("region-2", Optional.empty()));
        assertThat(needed(HttpMethod.GET, "/api/orders", bob)).map(HomeRegionRequests.HomeRegionRequest::replicaPath)
                .contains(Optional.of("/orders/replica"));
        assertThat(needed(HttpMethod.GET, "/api/orders/o-1", bob)).map(HomeRegionRequests.HomeRegionRequest::replicaPath)
                .contains(Optional.of("/orders/replica/o-1"));
        assertThat(needed(HttpMethod.HEAD, "/api/orders/o-1", bob)).isPresent();
        assertThat(needed(HttpMethod.GET, "/api/orders/o-1/history", bob)).map(HomeRegionRequests.HomeRegionRequest::replicaPath)
                .contains(Optional.empty());
        assertThat(needed(HttpMethod.POST, "/api/orders/o-1/cancel", bob)).isPresent();
        assertThat(needed(HttpMethod.GET, "/api/customers/bob/personal-data", bob)).isPresent();
        assertThat(needed(HttpMethod.DELETE, "/api/customers/bob/personal-data", bob)).isPresent();
        assertThat(needed(HttpMethod.GET, "/api/account", bob)).isPresent();
    }

    @Test
    void whatThisRegionServesItselfIsNotForwarded() {
        Jwt bob = token("bob", "region-2", "CUSTOMER");

        assertThat(needed(HttpMethod.GET, "/api/orders", token("alice", "region-1", "CUSTOMER"))).as("own region").isEmpty();
        assertThat(needed(HttpMethod.GET, "/api/orders", token("svc", null, "ORDER_MANAGER"))).as("no claim").isEmpty();
        assertThat(needed(HttpMethod.GET, "/api/orders/all", bob)).isEmpty();
        assertThat(needed(HttpMethod.GET, "/api/orders/replica", bob)).isEmpty();
        assertThat(needed(HttpMethod.GET, "/api/orders/replica/o-1", bob)).isEmpty();
        assertThat(needed(HttpMethod.GET, "/api/catalog/products", bob)).isEmpty();
        assertThat(needed(HttpMethod.PUT, "/api/orders/o-1", bob)).isEmpty();
        assertThat(needed(HttpMethod.GET, "/api/customers/carol/personal-data", bob)).as("another customer's").isEmpty();
        assertThat(needed(HttpMethod.POST, "/api/account", bob)).as("signing up").isEmpty();
        Jwt auditor = token("audrey", "region-2", "AUDITOR");
        assertThat(needed(HttpMethod.GET, "/api/orders/o-1", auditor)).as("staff read any order here").isEmpty();
        assertThat(needed(HttpMethod.POST, "/api/orders/o-1/cancel", token("oscar", "region-2", "ORDER_MANAGER"))).isEmpty();
        assertThat(needed(HttpMethod.GET, "/api/orders", token("oscar", "region-2", "ORDER_MANAGER")))
                .as("one's own list: order-service refuses it for anyone of another region").isPresent();
    }

    /** The API documents' view: which operations are forwarded, and which have a replica while the home region is down. */
    @Test
    void theOperationsTheDocumentsDescribeAsForwarded() {
        assertThat(HomeRegionRequests.forwarding(HttpMethod.POST, "/api/orders")).contains(Forwarding.FORWARDED);
        assertThat(HomeRegionRequests.forwarding(HttpMethod.GET, "/api/orders")).contains(Forwarding.FORWARDED_OR_REPLICA);
        assertThat(HomeRegionRequests.forwarding(HttpMethod.GET, "/api/orders/{orderId}")).contains(Forwarding.FORWARDED_OR_REPLICA);
        assertThat(HomeRegionRequests.forwarding(HttpMethod.GET, "/api/orders/{orderId}/history")).contains(Forwarding.FORWARDED);
        assertThat(HomeRegionRequests.forwarding(HttpMethod.POST, "/api/orders/{orderId}/cancel")).contains(Forwarding.FORWARDED);
        assertThat(HomeRegionRequests.forwarding(HttpMethod.GET, "/api/customers/{customerId}/personal-data")).contains(Forwarding.FORWARDED);
        assertThat(HomeRegionRequests.forwarding(HttpMethod.DELETE, "/api/customers/{customerId}/personal-data")).contains(Forwarding.FORWARDED);
        assertThat(HomeRegionRequests.forwarding(HttpMethod.GET, "/api/account")).contains(Forwarding.FORWARDED);

        assertThat(HomeRegionRequests.forwarding(HttpMethod.GET, "/api/orders/all")).isEmpty();
        assertThat(HomeRegionRequests.forwarding(HttpMethod.GET, "/api/orders/replica")).isEmpty();
        assertThat(HomeRegionRequests.forwarding(HttpMethod.GET, "/api/orders/replica/{orderId}")).isEmpty();
        assertThat(HomeRegionRequests.forwarding(HttpMethod.POST, "/api/account")).isEmpty();
        assertThat(HomeRegionRequests.forwarding(HttpMethod.GET, "/api/accounts/{username}")).isEmpty();
        assertThat(HomeRegionRequests.forwarding(HttpMethod.POST, "/api/personal-data/keys/rewrap")).isEmpty();
        assertThat(HomeRegionRequests.forwarding(HttpMethod.GET, "/api/catalog/products/{id}")).isEmpty();
    }

    private Optional<HomeRegionRequests.HomeRegionRequest> needed(HttpMethod method, String path, Jwt token) {
        return rules.homeRegionNeeded(method, path, token);
    }

    private static Jwt token(String subject, String region, String... roles) {
        Jwt.Builder token = Jwt.withTokenValue("t").header("alg", "RS256").subject(subject)
                .claim("roles", List.of(roles)).issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60));
        return region == null ? token.build() : token.claim("region", region).build();
    }
}
