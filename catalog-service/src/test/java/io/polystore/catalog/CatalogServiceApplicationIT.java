package io.polystore.catalog;

import io.polystore.testkit.spring.ServiceContractTests;
import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UseSurrealDb;
import io.polystore.testkit.spring.UseTestTokens;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UseKafka
@UseSurrealDb(database = "catalog")
@UseTestTokens
class CatalogServiceApplicationIT extends ServiceContractTests {

    @Override
    protected String protectedPath() {
        return "/products";
    }
}
