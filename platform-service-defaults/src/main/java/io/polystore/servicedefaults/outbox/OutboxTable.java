package io.polystore.servicedefaults.outbox;

import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The definition of the table {@link OutboxWriter} writes to, for a service's migration or a test standing in for one. */
public final class OutboxTable {

    /** {@code CREATE TABLE IF NOT EXISTS outbox_event (...)}, from {@code outbox_event.sql} beside this class. */
    public static final String DEFINITION = read("outbox_event.sql");

    private OutboxTable() {
    }

    private static String read(String name) {
        try {
            return new ClassPathResource(name, OutboxTable.class).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("platform-service-defaults lacks " + name, e);
        }
    }
}
