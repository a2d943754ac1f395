package io.polystore.gateway.routing.internal;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamInstancesTest {

    private final UpstreamInstances instances = new UpstreamInstances(Map.of("orders",
            List.of(URI.create("http://a:8081"), URI.create("http://b:8091"))));

    @Test
    void eachRequestStartsAtTheNextInstanceAndTriesTheOthersAfterIt() {
        URI target = URI.create("http://a:8081/orders/42?limit=5");

        assertThat(instances.attempts(target)).containsExactly(URI.create("http://a:8081/orders/42?limit=5"),
                URI.create("http://b:8091/orders/42?limit=5"));
        assertThat(instances.attempts(target)).containsExactly(URI.create("http://b:8091/orders/42?limit=5"),
                URI.create("http://a:8081/orders/42?limit=5"));
        assertThat(instances.attempts(URI.create("http://b:8091/orders"))).first().isEqualTo(URI.create("http://a:8081/orders"));
    }

    @Test
    void aServiceWithoutInstancesGoesWhereItsRouteSays() {
        URI target = URI.create("http://catalog:8082/products/7");

        assertThat(instances.attempts(target)).containsExactly(target);
    }
}
