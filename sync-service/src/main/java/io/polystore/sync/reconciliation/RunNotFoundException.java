package io.polystore.sync.reconciliation;

import java.util.UUID;

class RunNotFoundException extends RuntimeException {

    RunNotFoundException(UUID id) {
        super("No reconciliation run " + id);
    }
}
