package io.polystore.order.personaldata;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A few long-lived platform threads for Tink, whose per-thread {@code Cipher} then lives as long as they do.
 * Only pure computation runs here; database work stays on the caller's thread and transaction.
 */
@Component
class CryptoThreads implements DisposableBean {

    private final ExecutorService threads = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            Thread.ofPlatform().name("personal-data-crypto-", 0).daemon().factory());

    <T> T run(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, threads).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    @Override
    public void destroy() {
        threads.shutdownNow();
    }
}
