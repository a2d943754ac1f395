package io.polystore.servicedefaults.web;

import io.polystore.servicedefaults.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBodyLimitFilterTest {

    private static final int LIMIT = 1024;

    private final RequestBodyLimitFilter filter = new RequestBodyLimitFilter(LIMIT,
            new ProblemResponses(JsonMapper.builder().build()));

    @Test
    void aChunkedBodyOverTheLimitFailsAtTheFirstByteBeyondItWithoutBeingBuffered() {
        EndlessBody body = new EndlessBody();
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/drafts");
        request.addHeader("Transfer-Encoding", "chunked");
        FilterChain readsEverything = (servletRequest, servletResponse) -> {
            byte[] buffer = new byte[8192];
            while (servletRequest.getInputStream().read(buffer, 0, buffer.length) != -1) {
                // a reader that would take the whole body
            }
        };

        assertThatThrownBy(() -> filter.doFilter(body.of(request), new MockHttpServletResponse(), readsEverything))
                .isInstanceOf(RequestBodyTooLargeException.class);
        assertThat(body.delivered).isEqualTo(LIMIT + 1);
    }

    @Test
    void aChunkedBodyWithinTheLimitIsReadWhole() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/drafts");
        request.setContent(new byte[LIMIT]);
        request.addHeader("Transfer-Encoding", "chunked");
        HttpServletRequest chunked = new HttpServletRequestWrapper(request) {
            @Override
            public long getContentLengthLong() {
                return -1;
            }
        };
        int[] read = {0};

        filter.doFilter(chunked, new MockHttpServletResponse(),
                (servletRequest, servletResponse) -> read[0] = servletRequest.getInputStream().readAllBytes().length);

        assertThat(read[0]).isEqualTo(LIMIT);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeAnythingReadsTheBody() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/drafts");
        request.setContent(new byte[LIMIT + 1]);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean passedOn = new AtomicBoolean();

        filter.doFilter(request, response, (servletRequest, servletResponse) -> passedOn.set(true));

        assertThat(passedOn).isFalse();
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getHeader("Connection")).isEqualTo("close");
        assertThat(response.getContentAsString()).contains("\"status\":413", "\"instance\":\"/drafts\"");
    }

    /** A chunked body that never ends, counting the bytes taken from it. */
    private static final class EndlessBody extends ServletInputStream {

        long delivered;

        HttpServletRequest of(HttpServletRequest request) {
            return new HttpServletRequestWrapper(request) {
                @Override
                public ServletInputStream getInputStream() {
                    return EndlessBody.this;
                }

                @Override
                public long getContentLengthLong() {
                    return -1;
                }
            };
        }

        @Override
        public int read() {
            delivered++;
            return 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            delivered += length;
            return length;
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
