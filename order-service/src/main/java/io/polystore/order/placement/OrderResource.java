package io.polystore.order.placement;

import io.polystore.order.orders.Order;
import io.polystore.order.orders.OrderStatus;
import io.polystore.order.placement.internal.PageCursor;
import io.polystore.order.residency.HomeRegionOnly;
import io.polystore.order.saga.OrderPlacementSaga;
import io.polystore.order.saga.SagaAdmission;
import io.polystore.order.saga.SagaTransition;
import io.polystore.servicedefaults.problem.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

@RestController
@RequestMapping("/orders")
@Tag(name = "Orders", description = "Placing, reading and cancelling orders")
class OrderResource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    private static final int MAX_KEY_LENGTH = 200;
    /** Visible ASCII: header values are ISO-8859-1 on the wire, so other text would not survive as sent. */
    private static final Pattern KEY_CHARACTERS = Pattern.compile("[\\x21-\\x7E]+");
    private static final String STATUSES = "must be one of PENDING, CONFIRMED, REJECTED, CANCELLED";

    private final OrderPlacement placement;
    private final OrderQueries queries;
    private final OrderPlacementSaga saga;
    private final SagaAdmission admission;

    OrderResource(OrderPlacement placement, OrderQueries queries, OrderPlacementSaga saga, SagaAdmission admission) {
        this.placement = placement;
        this.queries = queries;
        this.saga = saga;
        this.admission = admission;
    }

    @PostMapping
    @PreAuthorize("hasRole('CUSTOMER')")
    @HomeRegionOnly
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "placeOrder", summary = "Place an order",
            description = "Prices come from the catalog's price snapshot. The Idempotency-Key header is required: the same "
                    + "key with the same body returns the order placed first (header Idempotent-Replayed: true); the same "
                    + "key with another body is 422. The order is PENDING until its stock is reserved. While the saga "
                    + "behind it has fallen behind, or more orders arrive than can be placed at once, 503 with "
                    + "Retry-After: send the same request again then.")
    @ApiResponse(responseCode = "201", description = "The order, placed now or by the first request with this key",
            headers = @Header(name = REPLAYED, required = true, schema = @Schema(type = "boolean"),
                    description = "true when an earlier request with this key placed the order"))
    @ApiResponse(responseCode = "422", description = "The idempotency key was used before with another body")
    ResponseEntity<OrderView> place(@Parameter(description = "A key unique per intended order", required = true,
                                            schema = @Schema(maxLength = MAX_KEY_LENGTH))
                                    @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                    @Valid @RequestBody PlaceOrderRequest request, Authentication authentication) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw new InvalidInputException(IDEMPOTENCY_KEY, "header is required");
        }
        if (idempotencyKey.length() > MAX_KEY_LENGTH) {
            throw new InvalidInputException(IDEMPOTENCY_KEY, "must be at most " + MAX_KEY_LENGTH + " characters");
        }
        if (!KEY_CHARACTERS.matcher(idempotencyKey).matches()) {
            throw new InvalidInputException(IDEMPOTENCY_KEY, "must be visible ASCII characters, without spaces");
        }
        Caller caller = Caller.of(authentication);
        OrderPlacement.Placed placed;
        try (SagaAdmission.Permit ignored = admission.admit()) {
            placed = placement.place(caller.subject(), idempotencyKey, request);
        }
        Order order = placed.order();
        // The customer's own data, as they just sent it: echoing it back reads nothing stored, so it is not audited.
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentContextPath().path("/orders/{id}")
                        .buildAndExpand(order.id()).toUri())
                .header(REPLAYED, Boolean.toString(placed.replayed()))
                .body(OrderView.of(order, placed.personalData(), false));
    }

    @GetMapping("/{orderId}")
    @PreAuthorize("hasAnyRole('CUSTOMER', 'ORDER_MANAGER', 'ADMIN', 'AUDITOR')")
    @HomeRegionOnly(unlessRole = {"ORDER_MANAGER", "ADMIN", "AUDITOR"})
    @Operation(operationId = "getOrder", summary = "Get an order",
            description = "Customers get their own orders only (404 for others'). Personal data is shown to the customer, "
                    + "order managers and administrators, and each such read is audited; auditors see it masked.")
    OrderView get(@PathVariable UUID orderId, Authentication authentication) {
        return queries.view(orderId, Caller.of(authentication));
    }

    @GetMapping("/{orderId}/history")
    @PreAuthorize("hasAnyRole('CUSTOMER', 'ORDER_MANAGER', 'ADMIN', 'AUDITOR')")
    @HomeRegionOnly(unlessRole = {"ORDER_MANAGER", "ADMIN", "AUDITOR"})
    @Operation(operationId = "getOrderHistory", summary = "The order's saga history", description = "Every state the placement saga went through, oldest first.")
    List<SagaTransition> history(@PathVariable UUID orderId, Authentication authentication) {
        return queries.history(orderId, Caller.of(authentication));
    }

    @PostMapping("/{orderId}/cancel")
    @PreAuthorize("hasAnyRole('CUSTOMER', 'ORDER_MANAGER', 'ADMIN')")
    @HomeRegionOnly(unlessRole = {"ORDER_MANAGER", "ADMIN"})
    @Operation(operationId = "cancelOrder", summary = "Cancel an order",
            description = "Releases its stock if any is reserved. Cancelling a cancelled order changes nothing; a rejected "
                    + "order cannot be cancelled (409). Customers cancel their own orders only (404 for others').")
    @ApiResponse(responseCode = "200", description = "The order as it is now")
    @ApiResponse(responseCode = "409", description = "The order was rejected; orderStatus says its status")
    OrderView cancel(@PathVariable UUID orderId, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Order order = queries.visibleOrder(orderId, caller);
        if (!order.belongsTo(caller.subject()) && !caller.managesOrders()) {
            throw new OrderNotFoundException(orderId);
        }
        saga.cancel(orderId, order.belongsTo(caller.subject()) ? "by the customer" : "by " + caller.subject());
        return queries.view(orderId, caller);
    }

    @GetMapping
    @PreAuthorize("hasRole('CUSTOMER')")
    @HomeRegionOnly
    @Operation(operationId = "listMyOrders", summary = "List my orders", description = "Newest first, a page at a time: pass nextCursor as cursor.")
    OrderPage mine(@RequestParam(required = false) List<@NotNull(message = STATUSES) OrderStatus> status,
                   @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant placedFrom,
                   @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant placedBefore,
                   @RequestParam(required = false) String cursor,
                   @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit,
                   Authentication authentication) {
        return queries.list(new OrderQueries.Filter(Caller.of(authentication).subject(), status, placedFrom, placedBefore),
                cursor(cursor), limit);
    }

    @GetMapping("/all")
    @PreAuthorize("hasAnyRole('ORDER_MANAGER', 'ADMIN')")
    @Operation(operationId = "listAllOrders", summary = "List all orders", description = "For order managers: every customer's orders, optionally of one "
            + "customer; newest first, a page at a time.")
    OrderPage all(@RequestParam(required = false) String customerId,
                  @RequestParam(required = false) List<@NotNull(message = STATUSES) OrderStatus> status,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant placedFrom,
                  @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant placedBefore,
                  @RequestParam(required = false) String cursor,
                  @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        return queries.list(new OrderQueries.Filter(customerId, status, placedFrom, placedBefore), cursor(cursor), limit);
    }

    private static PageCursor cursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        return PageCursor.decode(cursor);
    }
}
