package io.polystore.catalog.inventory;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/products/{productId}/inventory")
@Tag(name = "Inventory", description = "Stock per product. Reads: any signed-in user; changes: CATALOG_MANAGER.")
class InventoryResource {

    private final InventoryService inventory;

    InventoryResource(InventoryService inventory) {
        this.inventory = inventory;
    }

    @GetMapping
    @Operation(operationId = "getInventory", summary = "The product's available, reserved and sold units")
    InventoryView get(@PathVariable String productId) {
        return inventory.get(productId);
    }

    @PostMapping("/adjustments")
    @PreAuthorize("hasRole('CATALOG_MANAGER')")
    @Operation(operationId = "adjustStock", summary = "Add units to the available stock; quantity must be positive")
    InventoryView adjust(@PathVariable String productId, @Valid @RequestBody StockAdjustmentRequest adjustment) {
        return inventory.adjust(productId, adjustment);
    }

    @PutMapping
    @PreAuthorize("hasRole('CATALOG_MANAGER')")
    @Operation(operationId = "countStock", summary = "Set the available units after a stock count")
    InventoryView count(@PathVariable String productId, @Valid @RequestBody StockCountRequest count) {
        return inventory.count(productId, count);
    }
}
