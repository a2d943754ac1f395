package io.polystore.sync;

import io.polystore.testkit.spring.ServiceContractTests;
import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import io.polystore.testkit.spring.UseTestTokens;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UsePostgres(database = "sync")
@UseKafka
@UseTestTokens
class SyncServiceApplicationIT extends ServiceContractTests {

    @Override
    protected String protectedPath() {
        return "/reconciliation/runs";
    }
}
