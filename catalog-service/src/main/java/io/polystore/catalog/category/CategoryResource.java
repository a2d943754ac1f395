package io.polystore.catalog.category;

import io.polystore.catalog.internal.GlobalCatalogWrite;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.List;

@RestController
@RequestMapping("/categories")
@Tag(name = "Categories", description = "The category tree. Reads: any signed-in user; changes: CATALOG_MANAGER.")
class CategoryResource {

    private final CategoryTree categories;

    CategoryResource(CategoryTree categories) {
        this.categories = categories;
    }

    @GetMapping
    @Operation(operationId = "listCategories", summary = "Every category, roots first, then by depth and name")
    List<CategoryView> all() {
        return categories.all();
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getCategory", summary = "One category")
    CategoryView get(@PathVariable String id) {
        return categories.get(id);
    }

    @PostMapping
    @PreAuthorize("hasRole('CATALOG_MANAGER')")
    @GlobalCatalogWrite
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "createCategory", summary = "Create a category, under a parent or as a root")
    ResponseEntity<CategoryView> create(@Valid @RequestBody CreateCategoryRequest request) {
        CategoryView created = categories.create(request);
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentContextPath().path("/categories/{id}")
                .buildAndExpand(created.id()).toUri()).body(created);
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasRole('CATALOG_MANAGER')")
    @GlobalCatalogWrite
    @Operation(operationId = "renameCategory", summary = "Rename a category")
    CategoryView rename(@PathVariable String id, @Valid @RequestBody RenameCategoryRequest request) {
        return categories.rename(id, request);
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasRole('CATALOG_MANAGER')")
    @GlobalCatalogWrite
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteCategory", summary = "Delete a category without subcategories or products")
    @ApiResponse(responseCode = "409", description = "The category has subcategories or products")
    ResponseEntity<Void> delete(@PathVariable String id) {
        categories.delete(id);
        return ResponseEntity.noContent().build();
    }
}
