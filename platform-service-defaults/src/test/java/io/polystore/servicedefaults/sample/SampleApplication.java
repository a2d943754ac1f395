package io.polystore.servicedefaults.sample;

import io.polystore.events.EventEnvelope;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.servicedefaults.problem.ProblemMappings;
import io.polystore.servicedefaults.web.CursorCodec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
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

    record Page(long after, @Nullable String nextCursor) {
    }

    /** The sample's own failure, which its facts map to 409. */
    static class DraftConflictException extends RuntimeException {
        DraftConflictException() {
            super("The draft was changed meanwhile.");
        }
    }

    /** The only problem-details code a service writes: its exceptions and their statuses. */
    @Bean
    ProblemMappings sampleProblems() {
        return ProblemMappings.builder()
                .status(DraftConflictException.class, HttpStatus.CONFLICT,
                        (conflict, problem) -> problem.setProperty("draftStatus", "CHANGED"))
                .build();
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

        private static final CursorCodec<Long> PAGES = CursorCodec.of("sample pages",
                after -> List.of(Long.toString(after)), values -> Long.parseLong(values.getFirst()));

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

        @GetMapping("/pages")
        @PreAuthorize("isAuthenticated()")
        Page page(@RequestParam(required = false) String cursor, @RequestParam(defaultValue = "10") int size) {
            long after = cursor == null ? 0 : PAGES.decode(cursor);
            return new Page(after, PAGES.encode(after + size));
        }

        /** Free-form JSON, echoed: what a product's attributes are. */
        @PostMapping("/notes")
        @PreAuthorize("isAuthenticated()")
        Map<String, Object> note(@RequestBody Map<String, Object> note) {
            return note;
        }

        @PostMapping("/drafts/conflicting")
        @PreAuthorize("isAuthenticated()")
        String conflict() {
            throw new DraftConflictException();
        }

        @GetMapping("/failures")
        @PreAuthorize("isAuthenticated()")
        String fail() {
            throw new IllegalStateException("secret internal detail");
        }
    }
}
