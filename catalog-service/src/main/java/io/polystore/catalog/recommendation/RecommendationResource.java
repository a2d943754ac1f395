package io.polystore.catalog.recommendation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Recommendations", description = "Graph traversals over confirmed orders. Any signed-in user.")
class RecommendationResource {

    private final RecommendationEngine engine;

    RecommendationResource(RecommendationEngine engine) {
        this.engine = engine;
    }

    @GetMapping("/products/{id}/recommendations")
    @Operation(operationId = "getRecommendations",
            summary = "Products bought together with this one, and products its buyers also bought, ranked")
    Recommendations recommendations(@PathVariable String id,
                                    @RequestParam(defaultValue = "10") @Min(1) @Max(50) int limit) {
        return engine.forProduct(id, limit);
    }
}
