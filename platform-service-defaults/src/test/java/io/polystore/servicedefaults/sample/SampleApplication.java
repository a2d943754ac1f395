package io.polystore.servicedefaults.sample;

import io.polystore.events.EventEnvelope;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A minimal service built only on platform-service-defaults, as the real services are. */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    record Greeting(String to, boolean virtualThread) {
    }

    record OrderDraft(@NotBlank String productId, @Positive int quantity) {
    }

    /** Keeps every event it could read from {@code orders.events}. */
    @Component
    public static class OrderEventsListener {
        private final KafkaEventBinding binding;
        private final List<EventEnvelope> received = new CopyOnWriteArrayList<>();

        OrderEventsListener(KafkaEventBinding binding) {
            this.binding = binding;
        }

        @KafkaListener(topics = Topics.ORDERS_EVENTS)
        void on(ConsumerRecord<String, byte[]> record) {
            received.add(binding.fromConsumerRecord(record));
        }

        public List<EventEnvelope> received() {
            return received;
        }
    }

    @RestController
    static class SampleResource {

        @GetMapping("/greetings")
        @PreAuthorize("hasRole('CUSTOMER')")
        Greeting greet(@AuthenticationPrincipal Jwt jwt) {
            return new Greeting(jwt.getSubject(), Thread.currentThread().isVirtual());
        }

        @PostMapping("/drafts")
        @PreAuthorize("hasRole('CUSTOMER')")
        Map<String, Object> draft(@Valid @RequestBody OrderDraft draft) {
            return Map.of("productId", draft.productId(), "quantity", draft.quantity());
        }

        @GetMapping("/failures")
        @PreAuthorize("isAuthenticated()")
        String fail() {
            throw new IllegalStateException("secret internal detail");
        }
    }
}
