package io.polystore.order.access.internal;

import io.micrometer.observation.ObservationRegistry;
import io.polystore.order.access.AccessProperties;
import io.polystore.order.access.AuditTrailUnavailableException;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * audit-service's records about one person ({@code GET /audit/subjects/{person}/records}), every page, read with the
 * requester's own token: audit-service decides whether that requester may read them.
 */
@Component
public class AuditTrailClient {

    private final RestClient audit;

    /** Boot's configured HTTP client ({@code spring.http.clients.*}: its TLS trust too), with the export's timeout. */
    AuditTrailClient(AccessProperties properties, ClientHttpRequestFactoryBuilder<?> requests, HttpClientSettings http,
                     ObservationRegistry observations) {
        this.audit = RestClient.builder().baseUrl(properties.auditServiceUrl().toString())
                .requestFactory(requests.build(http.withTimeouts(properties.timeout(), properties.timeout())))
                .observationRegistry(observations).build();
    }

    public List<JsonNode> recordsAbout(String person, String bearerToken) {
        List<JsonNode> records = new ArrayList<>();
        String cursor = null;
        try {
            do {
                String after = cursor;
                JsonNode page = audit.get()
                        .uri(builder -> {
                            builder.path("/audit/subjects/{person}/records");
                            if (after != null) {
                                builder.queryParam("cursor", after);
                            }
                            return builder.build(person);
                        })
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + bearerToken)
                        .retrieve().body(JsonNode.class);
                if (page == null) {
                    throw new AuditTrailUnavailableException("audit-service answered no records page", null);
                }
                page.path("records").forEach(records::add);
                JsonNode next = page.path("nextCursor");
                cursor = next.isString() ? next.asString() : null;
            } while (cursor != null);
        } catch (RestClientException e) {
            throw new AuditTrailUnavailableException("Reading the audit trail about a customer failed: " + e.getMessage(), e);
        }
        return records;
    }
}
