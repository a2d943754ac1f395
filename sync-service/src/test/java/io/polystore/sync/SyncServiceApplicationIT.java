package io.polystore.sync;

import io.polystore.sync.support.SyncServiceTest;
import io.polystore.testkit.spring.ServiceContractTests;

@SyncServiceTest
class SyncServiceApplicationIT extends ServiceContractTests {

    @Override
    protected String protectedPath() {
        return "/reconciliation/runs";
    }
}
