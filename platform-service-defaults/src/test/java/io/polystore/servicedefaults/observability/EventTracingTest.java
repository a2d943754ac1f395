package io.polystore.servicedefaults.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The trace context an outbox event carries, and the relay span that continues it, on the real OpenTelemetry SDK. */
class EventTracingTest {

    private final SdkTracerProvider provider = SdkTracerProvider.builder().build();
    private final io.opentelemetry.api.trace.Tracer otel = provider.get("test");
    private final OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { });
    private final EventTracing tracing = new EventTracing(tracer,
            new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel));

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void anEventWrittenInASpanCarriesThatSpansTraceparent() {
        Span request = tracer.nextSpan().name("POST /orders").start();
        try (Tracer.SpanInScope ignored = tracer.withSpan(request)) {
            assertThat(tracing.currentTraceparent())
                    .isEqualTo("00-" + request.context().traceId() + "-" + request.context().spanId() + "-01");
        } finally {
            request.end();
        }
    }

    @Test
    void outsideASpanThereIsNoTraceparent() {
        assertThat(tracing.currentTraceparent()).isNull();
    }

    @Test
    void theRelaySpanContinuesTheEventsTraceAndIsCurrentInItsScope() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        Span relay = tracing.startChildOf(traceparent, "relay ReserveStock", Span.Kind.PRODUCER);
        try (Tracer.SpanInScope ignored = tracing.inScope(relay)) {
            assertThat(relay.context().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(relay.context().parentId()).isEqualTo("00f067aa0ba902b7");
            assertThat(tracing.currentTraceparent()).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-" + relay.context().spanId());
        } finally {
            relay.end();
        }
    }

    @Test
    void anEventWithoutOrWithAnUnreadableTraceparentStartsANewTrace() {
        for (String traceparent : new String[] {null, "not a traceparent"}) {
            Span relay = tracing.startChildOf(traceparent, "relay ReserveStock", Span.Kind.PRODUCER);
            assertThat(relay.context().traceId()).hasSize(32).isNotEqualTo("00000000000000000000000000000000");
            assertThat(relay.context().parentId()).isNull();
            relay.end();
        }
    }

    @Test
    void withoutTracingNothingIsStamped() {
        Span span = EventTracing.NONE.startChildOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "relay",
                Span.Kind.PRODUCER);
        try (Tracer.SpanInScope ignored = EventTracing.NONE.inScope(span)) {
            assertThat(EventTracing.NONE.currentTraceparent()).isNull();
        }
    }
}
