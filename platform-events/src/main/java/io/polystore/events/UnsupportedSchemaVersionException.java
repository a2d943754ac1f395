package io.polystore.events;

import java.util.Set;

/** A message of a known type in a schema version this build does not read. */
public class UnsupportedSchemaVersionException extends EventDecodingException {

    public UnsupportedSchemaVersionException(String type, int version, Set<Integer> supportedVersions) {
        super("unsupported schema version " + version + " of " + type
                + ", this build reads versions " + supportedVersions);
    }
}
