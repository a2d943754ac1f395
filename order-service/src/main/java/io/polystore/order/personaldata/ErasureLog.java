package io.polystore.order.personaldata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Every erasure, appended to a file kept apart from the database and its backups: restoring the database to a point
 * before an erasure brings the customer's key row back, and the log is how it is destroyed again. It names the key
 * destroyed, not only the customer: a customer who orders again after their erasure gets a new key, which stays.
 * One line per erasure, {@code <time> <key id> <customer id, URL-encoded>}, synced to disk before the erasure commits.
 */
public final class ErasureLog {

    private final Path file;

    public ErasureLog(Path file) {
        this.file = file;
    }

    public synchronized void append(UUID keyId, String customerId, Instant erasedAt) {
        String line = erasedAt + " " + keyId + " " + URLEncoder.encode(customerId, StandardCharsets.UTF_8) + "\n";
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (directory != null) {
                Files.createDirectories(directory);
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the erasure log " + file, e);
        }
    }

    /** The keys destroyed so far, in the order of their erasure. */
    public Set<UUID> erasedKeys() {
        Set<UUID> keys = new LinkedHashSet<>();
        if (!Files.exists(file)) {
            return keys;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                // A line cut off by a crash belongs to an erasure that never committed: its key was never destroyed.
                if (fields.length == 3) {
                    keys.add(UUID.fromString(fields[1]));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot read the erasure log " + file + ": " + e.getMessage(), e);
        }
        return keys;
    }

    public Path file() {
        return file;
    }
}
