package io.polystore.sync.federation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;

@RestController
@RequestMapping("/reports")
@PreAuthorize("hasAnyRole('ORDER_MANAGER', 'ADMIN')")
@Tag(name = "Reports", description = "Named reports over orders (PostgreSQL) and the catalog (SurrealDB), through the "
        + "federation. ORDER_MANAGER and ADMIN. Paged with offset and limit; each page says how fresh its sources are.")
class ReportResource {

    private final Reports reports;

    ReportResource(Reports reports) {
        this.reports = reports;
    }

    @GetMapping("/revenue-by-category")
    @Operation(operationId = "reportRevenueByCategory",
            summary = "Revenue per category in a period, rolled up the category tree",
            description = "CONFIRMED orders placed in [from, to). A category's revenue includes its descendants' "
                    + "products; a product in several categories of one subtree counts once there. Highest first.")
    ReportPage<Reports.CategoryRevenue> revenueByCategory(
            @Parameter(description = "period start, inclusive (ISO-8601)") @RequestParam Instant from,
            @Parameter(description = "period end, exclusive (ISO-8601)") @RequestParam Instant to,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int offset,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        return reports.revenueByCategory(from, to, offset, limit);
    }

    @GetMapping("/top-products")
    @Operation(operationId = "reportTopProducts",
            summary = "Products by units sold in a period, with their current stock",
            description = "CONFIRMED orders placed in [from, to); stock as the catalog holds it now.")
    ReportPage<Reports.ProductSales> topProducts(
            @Parameter(description = "period start, inclusive (ISO-8601)") @RequestParam Instant from,
            @Parameter(description = "period end, exclusive (ISO-8601)") @RequestParam Instant to,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int offset,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        return reports.topProducts(from, to, offset, limit);
    }

    @GetMapping("/bought-together")
    @Operation(operationId = "reportBoughtTogether",
            summary = "Products bought together with a product, with their stock and price",
            description = "Other products in the CONFIRMED orders that hold productId, by the number of such orders.")
    ReportPage<Reports.BoughtTogether> boughtTogether(
            @Parameter(description = "the product's id (its catalog key)") @RequestParam @NotBlank @Size(max = 200) String productId,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int offset,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        return reports.boughtTogether(productId, offset, limit);
    }
}
