package io.polystore.catalog.product;

import io.polystore.catalog.internal.GlobalCatalogWrite;
import io.polystore.servicedefaults.problem.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

@RestController
@RequestMapping("/products")
@Tag(name = "Products", description = "Products, their search and related products. Reads: any signed-in user; changes: CATALOG_MANAGER.")
class ProductResource {

    private final ProductCatalog products;

    ProductResource(ProductCatalog products) {
        this.products = products;
    }

    @GetMapping
    @Operation(operationId = "searchProducts", summary = "Search products",
            description = "Criteria combine with AND. Results are ordered by name "
                    + "(or price) and then id; pass nextCursor as cursor for the next page.")
    ProductPage search(
            @Parameter(description = "Text found in name, description or SKU, ignoring case, taken literally")
            @RequestParam(required = false) @Size(max = 200) String q,
            @Parameter(description = "A category id: products of it and of its descendants")
            @RequestParam(required = false) @Size(max = 100) String category,
            @RequestParam(required = false) @DecimalMin("0") @Digits(integer = 15, fraction = 4) BigDecimal minPrice,
            @RequestParam(required = false) @DecimalMin("0") @Digits(integer = 15, fraction = 4) BigDecimal maxPrice,
            @RequestParam(required = false) @Pattern(regexp = "[A-Z]{3}") String currency,
            @Parameter(description = "Attribute filters as name:value, e.g. colour:red; repeat for several")
            @RequestParam(required = false) @Size(max = 20) List<@Size(max = 300) String> attr,
            @RequestParam(defaultValue = "false") boolean includeInactive,
            @Parameter(description = "name or price")
            @RequestParam(defaultValue = "name") @Pattern(regexp = "name|price") String sort,
            @RequestParam(required = false) @Min(1) @Max(500) Integer limit,
            @RequestParam(required = false) @Size(max = 2000) String cursor) {
        ProductSearch search = new ProductSearch(q, category, minPrice, maxPrice, currency, attributes(attr),
                includeInactive, ProductSearch.Sort.valueOf(sort.toUpperCase(Locale.ROOT)), limit == null ? 0 : limit,
                cursor);
        return products.search(search);
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getProduct", summary = "A product with its related products; the ETag is its version")
    @ApiResponse(responseCode = "200", description = "The product",
            headers = @Header(name = HttpHeaders.ETAG, required = true, description = "The product's version, quoted",
                    schema = @Schema(type = "string")))
    ResponseEntity<ProductView> get(@PathVariable String id) {
        ProductView product = products.detail(id);
        return ResponseEntity.ok().eTag("\"" + product.version() + "\"").body(product);
    }

    @PostMapping
    @PreAuthorize("hasRole('CATALOG_MANAGER')")
    @GlobalCatalogWrite
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "createProduct", summary = "Create a product, with its initial stock")
    @ApiResponse(responseCode = "201", description = "The new product",
            headers = @Header(name = HttpHeaders.ETAG, required = true, description = "The product's version, quoted",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "Another product has this SKU")
    ResponseEntity<ProductView> create(@Valid @RequestBody CreateProductRequest request) {
        ProductView created = products.create(request);
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentContextPath().path("/products/{id}")
                        .buildAndExpand(created.id()).toUri()).eTag("\"" + created.version() + "\"")
                .body(created);
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasRole('CATALOG_MANAGER')")
    @GlobalCatalogWrite
    @Operation(operationId = "replaceProduct", summary = "Replace a product",
            description = "Names the version it is based on: 409 if the product "
                    + "changed meanwhile.")
    @ApiResponse(responseCode = "200", description = "The product as it is now",
            headers = @Header(name = HttpHeaders.ETAG, required = true, description = "The product's version, quoted",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409",
            description = "The product changed since that version, or another product has this SKU")
    ResponseEntity<ProductView> update(@PathVariable String id, @Valid @RequestBody UpdateProductRequest request) {
        ProductView updated = products.update(id, request);
        return ResponseEntity.ok().eTag("\"" + updated.version() + "\"").body(updated);
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasRole('CATALOG_MANAGER')")
    @GlobalCatalogWrite
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteProduct", summary = "Delete a product and its stock",
            description = "409 while units of it are reserved.")
    @ApiResponse(responseCode = "409", description = "Units of the product are reserved")
    ResponseEntity<Void> delete(@PathVariable String id) {
        products.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/{id}/related/{relatedId}")
    @PreAuthorize("hasRole('CATALOG_MANAGER')")
    @GlobalCatalogWrite
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "relateProducts", summary = "Link two products as related, both ways")
    ResponseEntity<Void> relate(@PathVariable String id, @PathVariable String relatedId) {
        products.relate(id, relatedId);
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{id}/related/{relatedId}")
    @PreAuthorize("hasRole('CATALOG_MANAGER')")
    @GlobalCatalogWrite
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "unrelateProducts", summary = "Unlink two related products")
    ResponseEntity<Void> unrelate(@PathVariable String id, @PathVariable String relatedId) {
        products.unrelate(id, relatedId);
        return ResponseEntity.noContent().build();
    }

    private static Map<String, String> attributes(List<String> filters) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (filters == null) {
            return attributes;
        }
        for (int i = 0; i < filters.size(); i++) {
            String filter = filters.get(i);
            int colon = filter.indexOf(':');
            if (colon <= 0) {
                throw new InvalidInputException("attr[" + i + "]", "must be name:value");
            }
            attributes.put(filter.substring(0, colon), filter.substring(colon + 1));
        }
        return attributes;
    }
}
