package io.polystore.audit;

import io.polystore.testkit.spring.ServiceContractTests;

@AuditServiceTest
class AuditServiceApplicationIT extends ServiceContractTests {

    @Override
    protected String protectedPath() {
        return "/audit/records";
    }
}
