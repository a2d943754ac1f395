package io.polystore.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** How the testkit stops the processes it started. */
public final class Processes {

    private Processes() {
    }

    /**
     * SIGTERM, so that the process can leave cleanly, then SIGKILL if it has not stopped within {@code timeout}
     * (waiting as long again for it to die). Nothing if the process is null or has already stopped.
     */
    public static void stop(Process process, Duration timeout) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
