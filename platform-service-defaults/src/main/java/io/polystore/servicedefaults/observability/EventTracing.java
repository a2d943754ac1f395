package io.polystore.servicedefaults.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import java.util.HashMap;
import java.util.Map;

/**
 * Carries a trace across the outboxes, where neither HTTP nor Kafka headers reach: a writer stamps each event with
 * the W3C {@code traceparent} of the span it is written in (the CloudEvents distributed-tracing extension, kept in the
 * outbox row), and a relay, which reads the row later and elsewhere, continues that trace with a span of its own.
 * Kafka's observation then puts the relay span's context into the record's {@code traceparent} header, which the
 * consumers' listener observation continues.
 */
public final class EventTracing {

    /** Tracing off: no traceparent is written, relay spans are no-ops. */
    public static final EventTracing NONE = new EventTracing(Tracer.NOOP, Propagator.NOOP);

    static final String TRACEPARENT = "traceparent";

    private final Tracer tracer;
    private final Propagator propagator;

    public EventTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** The W3C {@code traceparent} of the current span; null outside any span. */
    public String currentTraceparent() {
        TraceContext context = tracer.currentTraceContext().context();
        if (context == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(context, carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /**
     * Starts a span that continues the trace of {@code traceparent} (a new trace when it is null or unreadable);
     * the caller ends it, and puts it in scope with {@link #inScope(Span)} around the work it covers.
     */
    public Span startChildOf(String traceparent, String name, Span.Kind kind) {
        Map<String, String> carrier = traceparent == null ? Map.of() : Map.of(TRACEPARENT, traceparent);
        return propagator.extract(carrier, Map::get).name(name).kind(kind).start();
    }

    public Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }
}
