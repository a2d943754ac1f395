package io.polystore.servicedefaults.outbox;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A service with nothing but the defaults, for the outbox tests. */
@SpringBootApplication
class OutboxTestApplication {
}
