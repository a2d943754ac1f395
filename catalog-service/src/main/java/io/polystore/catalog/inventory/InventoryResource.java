package io.polystore.catalog.inventory;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/products/{productId}/inventory")
@Tag(name = "Inventory", description = "Stock per product. Reads: any signed-in user; changes: CATALOG_MANAGER.")
class InventoryResource {

    private final InventoryService inventory;
    private final StockTransfers transfers;

    InventoryResource(InventoryService inventory, StockTransfers transfers) {
        this.inventory = inventory;
        this.transfers = transfers;
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

    @PostMapping("/transfers")
    @PreAuthorize("hasRole('CATALOG_MANAGER')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "transferStock", summary = "Send units of this region's available stock to another region",
            description = "Takes the units out of the available stock here at once; the receiving region adds them "
                    + "when the transfer reaches it, once.")
    @ApiResponse(responseCode = "201", description = "The transfer, sent")
    ResponseEntity<StockTransferView> transfer(@PathVariable String productId,
                                               @Valid @RequestBody StockTransferRequest transfer) {
        StockTransferView sent = transfers.send(productId, transfer);
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/products/{productId}/inventory/transfers/{transferId}")
                .buildAndExpand(productId, sent.id()).toUri()).body(sent);
    }

    @GetMapping("/transfers/{transferId}")
    @Operation(operationId = "getStockTransfer",
            summary = "A transfer of the product's stock that this region sent or received")
    StockTransferView transfer(@PathVariable String productId, @PathVariable String transferId) {
        return transfers.get(productId, transferId);
    }
}
