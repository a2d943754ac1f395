package io.polystore.servicedefaults.input;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's error report as RFC 9457 problem details instead of its HTML page, for what Tomcat refuses itself before
 * any filter or controller runs: a request line or header block over {@code server.max-http-request-header-size}
 * (an over-long query string or header), an unparsable request line or header, and any error nothing else answered.
 * Like Tomcat's own valve it writes only when the response is in error and nothing has been written yet; it echoes
 * nothing of the request.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

    private final JsonMapper json;

    ProblemErrorReportValve(JsonMapper json) {
        this.json = json;
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable failure) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", known != null ? known.getReasonPhrase() : "Error");
        problem.put("status", status);
        problem.put("detail", detail(status));
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json.writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response cannot take a body any more: nothing left to tell anyone.
        }
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "The request could not be read: its request line or headers are malformed, or larger than "
                    + "the server accepts (an over-long query string or header).";
            case 414 -> "The request's URI is longer than the server accepts.";
            case 431 -> "The request's headers are larger than the server accepts.";
            default -> status >= 500 ? "An unexpected error occurred." : "The request was refused.";
        };
    }
}
