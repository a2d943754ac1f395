package io.polystore.surrealdb;

/**
 * The server answered the RPC request with an error instead of a result, for instance a SurrealQL parse error
 * (the whole query then did not run). {@link #code()} is the JSON-RPC style code, {@link #kind()} SurrealDB's
 * error kind when it sends one.
 */
public class SurrealRpcException extends SurrealException {

    public static final long PARSE_ERROR = -32700;
    public static final long INVALID_REQUEST = -32600;
    public static final long METHOD_NOT_FOUND = -32601;
    public static final long NOT_ALLOWED = -32602;
    public static final long INVALID_PARAMS = -32603;
    public static final long INTERNAL_ERROR = -32000;
    public static final long NOT_AUTHENTICATED = -32002;

    private final String method;
    private final long code;
    private final String kind;

    public SurrealRpcException(String method, long code, String kind, String message) {
        super("SurrealDB refused RPC '" + method + "' (" + code + (kind == null ? "" : ", " + kind) + "): " + message);
        this.method = method;
        this.code = code;
        this.kind = kind;
    }

    public String method() {
        return method;
    }

    public long code() {
        return code;
    }

    public String kind() {
        return kind;
    }
}
