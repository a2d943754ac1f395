package io.polystore.order;

import io.polystore.testkit.spring.ServiceContractTests;
import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import io.polystore.testkit.spring.UseTestTokens;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UsePostgres(database = "orders")
@UseKafka
@UseTestTokens
class OrderServiceApplicationIT extends ServiceContractTests {

    @Override
    protected String protectedPath() {
        return "/orders";
    }
}
