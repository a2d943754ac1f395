package io.polystore.audit;

import io.polystore.testkit.spring.ServiceContractTests;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

@AuditServiceTest
class AuditServiceApplicationIT extends ServiceContractTests {

    @Override
    protected String protectedPath() {
        return "/audit/records";
    }

    @Test
    void exposesTheTrailsMetrics() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus", null);

        assertThat(response.body())
                .contains("audit_ingest_records_total")
                .contains("audit_ingest_lag_seconds_bucket")
                .contains("audit_chain_length")
                .contains("audit_verification_intact")
                .contains("audit_verification_last_time_seconds");
    }
}
