package io.polystore.order.replica;

import io.polystore.order.orders.OrderStatus;
import io.polystore.order.placement.OrderPage;
import io.polystore.order.placement.OrderView;
import io.polystore.servicedefaults.region.RegionProperties;
import io.polystore.servicedefaults.security.TokenRules;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The caller's own orders as this region replicates them from their home region: read-only, without personal data,
 * for when the home region cannot answer (the gateway sends a customer's reads here while their region is down).
 * The caller's home region is their token's {@code region} claim (this region when it has none); every answer names
 * it in {@value #REPLICA_OF}. Not {@code @HomeRegionOnly}: serving customers of other regions is its purpose.
 */
@RestController
@RequestMapping("/orders/replica")
@Tag(name = "Orders", description = "Placing, reading and cancelling orders")
class OrderReplicaResource {

    static final String REPLICA_OF = "Polystore-Replica-Of";
    private static final String STATUSES = "must be one of PENDING, CONFIRMED, REJECTED, CANCELLED";
    private static final String READ_ONLY = " Read-only and without personal data: the replica of the caller's home region"
            + " (their token's region claim), as last received from it; it may lag behind that region.";

    private final OrderReplica replica;
    private final String region;

    OrderReplicaResource(OrderReplica replica, RegionProperties region) {
        this.replica = replica;
        this.region = region.name();
    }

    @GetMapping
    @PreAuthorize("hasRole('CUSTOMER')")
    @Operation(operationId = "listMyReplicatedOrders", summary = "List my orders as replicated from my home region",
            description = "As GET /orders: newest first, a page at a time (pass nextCursor as cursor), the same filters."
                    + READ_ONLY)
    @ApiResponse(responseCode = "200", description = "A page of the caller's replicated orders",
            headers = @Header(name = REPLICA_OF, required = true, schema = @Schema(type = "string"),
                    description = "the home region whose orders these are"))
    ResponseEntity<OrderPage> mine(@RequestParam(required = false) List<@NotNull(message = STATUSES) OrderStatus> status,
                                   @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant placedFrom,
                                   @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant placedBefore,
                                   @RequestParam(required = false) String cursor,
                                   @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit,
                                   Authentication authentication) {
        String homeRegion = homeRegion(authentication);
        OrderPage page = replica.list(authentication.getName(), homeRegion, status, placedFrom, placedBefore,
                cursor == null || cursor.isEmpty() ? null : ReplicaCursor.decode(cursor), limit);
        return ResponseEntity.ok().header(REPLICA_OF, homeRegion).body(page);
    }

    @GetMapping("/{orderId}")
    @PreAuthorize("hasRole('CUSTOMER')")
    @Operation(operationId = "getMyReplicatedOrder", summary = "Get one of my orders as replicated from my home region",
            description = "The order with its lines; personalData is null and personalDataMasked true. 404 when this"
                    + " region holds no such order of the caller's." + READ_ONLY)
    @ApiResponse(responseCode = "200", description = "The caller's replicated order",
            headers = @Header(name = REPLICA_OF, required = true, schema = @Schema(type = "string"),
                    description = "the home region whose order this is"))
    @ApiResponse(responseCode = "404", description = "No such order of the caller's is replicated here")
    ResponseEntity<OrderView> get(@PathVariable UUID orderId, Authentication authentication) {
        String homeRegion = homeRegion(authentication);
        OrderView order = replica.find(orderId, authentication.getName(), homeRegion)
                .orElseThrow(() -> new ReplicaOrderNotFoundException(orderId, homeRegion));
        return ResponseEntity.ok().header(REPLICA_OF, homeRegion).body(order);
    }

    /** The caller's home region: their token's claim, or this region when it has none (as HomeRegionRule takes it). */
    private String homeRegion(Authentication authentication) {
        @Nullable String claimed = authentication instanceof JwtAuthenticationToken jwt
                ? jwt.getToken().getClaimAsString(TokenRules.HOME_REGION_CLAIM) : null;
        return claimed == null ? region : claimed;
    }
}
