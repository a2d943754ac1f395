package io.polystore.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registry of all event types, built from the permitted subclasses of {@link PolystoreEvent}.
 * A type name may be registered in several versions, one record each, so that consumers can read
 * the old and the new version while producers move from one to the other.
 */
public final class EventTypes {

    private static final Map<Class<? extends PolystoreEvent>, EventType> TYPE_BY_CLASS = new LinkedHashMap<>();
    private static final Map<String, Map<Integer, Class<? extends PolystoreEvent>>> CLASS_BY_NAME_AND_VERSION =
            new LinkedHashMap<>();

    static {
        for (Class<?> permitted : PolystoreEvent.class.getPermittedSubclasses()) {
            Class<? extends PolystoreEvent> eventClass = permitted.asSubclass(PolystoreEvent.class);
            EventType type = eventClass.getAnnotation(EventType.class);
            if (type == null) {
                throw new IllegalStateException(eventClass.getName() + " is not annotated with @EventType");
            }
            if (type.version() < 1) {
                throw new IllegalStateException(eventClass.getName() + " has schema version " + type.version()
                        + ", versions start at 1");
            }
            Class<? extends PolystoreEvent> clash = CLASS_BY_NAME_AND_VERSION
                    .computeIfAbsent(type.name(), name -> new TreeMap<>())
                    .putIfAbsent(type.version(), eventClass);
            if (clash != null) {
                throw new IllegalStateException(eventClass.getName() + " and " + clash.getName()
                        + " share the event type " + type.name() + " version " + type.version());
            }
            TYPE_BY_CLASS.put(eventClass, type);
        }
    }

    private EventTypes() {
    }

    /** All registered event classes. */
    public static Set<Class<? extends PolystoreEvent>> all() {
        return Collections.unmodifiableSet(TYPE_BY_CLASS.keySet());
    }

    /** The registration of an event class. */
    public static EventType of(Class<? extends PolystoreEvent> eventClass) {
        return TYPE_BY_CLASS.get(eventClass);
    }

    /**
     * The record class for a CloudEvents {@code type} and {@code schemaversion}.
     *
     * @throws UnknownEventTypeException if no event has that type
     * @throws UnsupportedSchemaVersionException if this build knows the type in other versions only
     */
    public static Class<? extends PolystoreEvent> resolve(String type, int schemaVersion) {
        Map<Integer, Class<? extends PolystoreEvent>> classByVersion = CLASS_BY_NAME_AND_VERSION.get(type);
        if (classByVersion == null) {
            throw new UnknownEventTypeException(type);
        }
        Class<? extends PolystoreEvent> eventClass = classByVersion.get(schemaVersion);
        if (eventClass == null) {
            throw new UnsupportedSchemaVersionException(type, schemaVersion, classByVersion.keySet());
        }
        return eventClass;
    }
}
