package io.polystore.order.residency.internal;

import io.polystore.order.residency.HomeRegionOnly;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.core.Ordered;
import org.springframework.web.method.HandlerMethod;

/**
 * Documents the 421 on every {@link HomeRegionOnly} operation. First of the customizers, so that the platform's
 * ({@code ProblemResponsesCustomizer}) gives it the problem schema and sorts it among the other responses.
 */
public final class HomeRegionApiDocs implements GlobalOperationCustomizer, Ordered {

    static final String DESCRIPTION = "The customer is homed in another region, where their orders and personal data "
            + "are kept: send the request there. The problem names it (homeRegion) and this region (region); "
            + "nothing was read or written.";

    @Override
    public Operation customize(Operation operation, HandlerMethod handlerMethod) {
        if (handlerMethod.hasMethodAnnotation(HomeRegionOnly.class)) {
            if (operation.getResponses() == null) {
                operation.setResponses(new ApiResponses());
            }
            operation.getResponses().addApiResponse("421", new ApiResponse().description(DESCRIPTION));
        }
        return operation;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
