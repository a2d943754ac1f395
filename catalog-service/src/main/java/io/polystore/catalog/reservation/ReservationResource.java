package io.polystore.catalog.reservation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

@RestController
@RequestMapping("/reservations")
@Tag(name = "Reservations", description = "Stock held for orders by the order saga. Any signed-in user.")
class ReservationResource {

    private final StockReservations reservations;

    ReservationResource(StockReservations reservations) {
        this.reservations = reservations;
    }

    @GetMapping("/{orderId}")
    @Operation(operationId = "getReservation", summary = "The reservation of an order")
    ReservationView get(@PathVariable String orderId) {
        return reservations.get(orderId);
    }

    @GetMapping
    @Operation(operationId = "listReservations", summary = "The newest reservations, optionally of one status")
    List<ReservationView> list(
            @RequestParam(required = false) @Pattern(regexp = "RESERVED|REJECTED|CONFIRMED|RELEASED|EXPIRED") String status,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return reservations.list(status, limit);
    }
}
