package io.polystore.testkit.backup.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough CBOR to walk SurrealDB's RPC answers and to pass values on as their original bytes: a record read from
 * the change feed is archived and replayed byte for byte, so that its decimals, datetimes and record ids keep their
 * tags (a decode into Java objects would lose them).
 */
public final class RawCbor {

    private static final int MAP = 5;
    private static final int ARRAY = 4;
    private static final int TEXT = 3;
    private static final int TAG = 6;

    private RawCbor() {
    }

    /** One item: its bytes and where it starts and ends. */
    public record Item(byte[] bytes, int start, int end) {

        public static Item of(byte[] bytes) {
            return new Item(bytes, 0, itemEnd(bytes, 0));
        }

        public byte[] copy() {
            byte[] copy = new byte[end - start];
            System.arraycopy(bytes, start, copy, 0, copy.length);
            return copy;
        }

        /** The item under a tag, or this item. */
        public Item untagged() {
            Item item = this;
            while (major(bytes, item.start) == TAG) {
                int inner = item.start + headLength(bytes, item.start);
                item = new Item(bytes, inner, itemEnd(bytes, inner));
            }
            return item;
        }

        public boolean isText() {
            return major(bytes, start) == TEXT;
        }

        public boolean isMap() {
            return major(bytes, untagged().start) == MAP;
        }

        /** A map's entries with text keys, in order. */
        public Map<String, Item> entries() {
            Item map = untagged();
            requireMajor(map, MAP);
            Map<String, Item> entries = new LinkedHashMap<>();
            int count = (int) argument(bytes, map.start);
            int offset = map.start + headLength(bytes, map.start);
            for (int i = 0; i < count; i++) {
                int valueStart = itemEnd(bytes, offset);
                String key = new Item(bytes, offset, valueStart).text();
                int valueEnd = itemEnd(bytes, valueStart);
                entries.put(key, new Item(bytes, valueStart, valueEnd));
                offset = valueEnd;
            }
            return entries;
        }

        public Item get(String key) {
            return entries().get(key);
        }

        public java.util.List<Item> elements() {
            Item array = untagged();
            requireMajor(array, ARRAY);
            java.util.List<Item> elements = new java.util.ArrayList<>();
            int count = (int) argument(bytes, array.start);
            int offset = array.start + headLength(bytes, array.start);
            for (int i = 0; i < count; i++) {
                int next = itemEnd(bytes, offset);
                elements.add(new Item(bytes, offset, next));
                offset = next;
            }
            return elements;
        }

        public String text() {
            Item text = untagged();
            requireMajor(text, TEXT);
            int head = headLength(bytes, text.start);
            return new String(bytes, text.start + head, text.end - text.start - head, StandardCharsets.UTF_8);
        }

        /** An unsigned integer. */
        public long integer() {
            Item number = untagged();
            if (major(bytes, number.start) != 0) {
                throw new IllegalArgumentException("Not an unsigned integer at " + number.start);
            }
            return argument(bytes, number.start);
        }

        private static void requireMajor(Item item, int major) {
            if (major(item.bytes, item.start) != major) {
                throw new IllegalArgumentException("CBOR major type " + major(item.bytes, item.start) + " where "
                        + major + " was expected, at " + item.start);
            }
        }
    }

    /** Writes a map, array or text head and text items; raw items are appended as they are. */
    public static final class Writer {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Writer map(int entries) {
            return head(MAP, entries);
        }

        public Writer array(int elements) {
            return head(ARRAY, elements);
        }

        public Writer text(String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            head(TEXT, utf8.length);
            out.writeBytes(utf8);
            return this;
        }

        public Writer raw(byte[] item) {
            out.writeBytes(item);
            return this;
        }

        public byte[] toBytes() {
            return out.toByteArray();
        }

        private Writer head(int major, long argument) {
            int type = major << 5;
            if (argument < 24) {
                out.write(type | (int) argument);
            } else if (argument < 0x100) {
                out.write(type | 24);
                out.write((int) argument);
            } else if (argument < 0x10000) {
                out.write(type | 25);
                writeBigEndian(argument, 2);
            } else if (argument < 0x100000000L) {
                out.write(type | 26);
                writeBigEndian(argument, 4);
            } else {
                out.write(type | 27);
                writeBigEndian(argument, 8);
            }
            return this;
        }

        private void writeBigEndian(long value, int length) {
            for (int i = length - 1; i >= 0; i--) {
                out.write((int) (value >>> (8 * i)) & 0xff);
            }
        }
    }

    private static int major(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) >> 5;
    }

    private static int headLength(byte[] bytes, int offset) {
        int info = bytes[offset] & 31;
        return info < 24 || info == 31 ? 1 : 1 + (1 << (info - 24));
    }

    private static long argument(byte[] bytes, int offset) {
        int info = bytes[offset] & 31;
        if (info < 24) {
            return info;
        }
        if (info == 31) {
            return -1;
        }
        long value = 0;
        for (int i = 1; i < headLength(bytes, offset); i++) {
            value = (value << 8) | (bytes[offset + i] & 0xff);
        }
        return value;
    }

    /** Where the item starting at {@code offset} ends. */
    static int itemEnd(byte[] bytes, int offset) {
        int major = major(bytes, offset);
        int info = bytes[offset] & 31;
        int head = headLength(bytes, offset);
        long argument = argument(bytes, offset);
        int next = offset + head;
        if (info == 31 && major != 7) {
            // Indefinite length: items until the break byte.
            while ((bytes[next] & 0xff) != 0xff) {
                next = itemEnd(bytes, next);
            }
            return next + 1;
        }
        return switch (major) {
            case 0, 1, 7 -> next;
            case 2, 3 -> next + (int) argument;
            case ARRAY -> {
                for (long i = 0; i < argument; i++) {
                    next = itemEnd(bytes, next);
                }
                yield next;
            }
            case MAP -> {
                for (long i = 0; i < 2 * argument; i++) {
                    next = itemEnd(bytes, next);
                }
                yield next;
            }
            case TAG -> itemEnd(bytes, next);
            default -> throw new IllegalArgumentException("Unknown CBOR major type " + major);
        };
    }
}
