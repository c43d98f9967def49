package org.amtbus.wsman.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpParserTest {

    private static final String AMT_CHUNKED = "HTTP/1.1 200 OK\r\nDate: x\r\nServer: Intel(R) Active Management Technology 15.0.23.1706\r\n"
            + "X-Frame-Options: DENY\r\nContent-Type: application/soap+xml; charset=UTF-8\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "0005\r\nhello\r\n000A\r\n, world!!!\r\n0\r\n\r\n";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void parsesChunkedAmtResponseIdenticallyWhenSplitAtEveryByteBoundary() throws Exception {
        // given
        byte[] wire = b(AMT_CHUNKED);
        HttpResponse whole = new HttpResponseParser().feed(wire).orElseThrow();
        for (int cut = 1; cut < wire.length; cut++) {
            HttpResponseParser parser = new HttpResponseParser();
            // when
            Optional<HttpResponse> first = parser.feed(wire, 0, cut);
            Optional<HttpResponse> second = parser.feed(wire, cut, wire.length - cut);
            // then
            assertThat(first).as("cut at %d", cut).isEmpty();
            assertThat(second).as("cut at %d", cut).contains(whole);
        }
        assertThat(new String(whole.body(), StandardCharsets.US_ASCII)).isEqualTo("hello, world!!!");
    }

    @Test
    void parsesOneByteAtATime() throws Exception {
        // given
        byte[] wire = b(AMT_CHUNKED);
        HttpResponseParser parser = new HttpResponseParser();
        Optional<HttpResponse> result = Optional.empty();
        // when
        for (int i = 0; i < wire.length; i++) {
            result = parser.feed(new byte[] {wire[i]});
            assertThat(result.isPresent()).isEqualTo(i == wire.length - 1);
        }
        // then
        assertThat(result.orElseThrow().status()).isEqualTo(200);
        assertThat(parser.idle()).isTrue();
    }

    @Test
    void returnsCoalescedResponsesOneAfterAnother() throws Exception {
        // given two responses in one read
        HttpResponseParser parser = new HttpResponseParser();
        byte[] two = b("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
        // when
        HttpResponse first = parser.feed(two).orElseThrow();
        HttpResponse second = parser.feed(new byte[0]).orElseThrow();
        // then
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(401);
        assertThat(second.reason()).isEqualTo("Unauthorized");
    }

    @Test
    void refusesHeaderSectionOverLimitWithoutWaitingForItsEnd() {
        // given
        String big = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(HttpLimits.MAX_HEADER_BYTES) + "\r\n";
        // when / then
        assertThatThrownBy(() -> new HttpResponseParser().feed(b(big)))
                .isInstanceOf(HttpProtocolException.class).hasMessageContaining("header section exceeds");
    }

    @Test
    void refusesTooManyHeaderFields() {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i <= HttpLimits.MAX_HEADER_COUNT; i++) {
            sb.append("X-").append(i).append(": v\r\n");
        }
        sb.append("Content-Length: 0\r\n\r\n");
        assertThatThrownBy(() -> new HttpResponseParser().feed(b(sb.toString())))
                .isInstanceOf(HttpProtocolException.class).hasMessageContaining("header fields");
    }

    @Test
    void refusesContentLengthOverBodyLimit() {
        assertThatThrownBy(() -> new HttpResponseParser().feed(b("HTTP/1.1 200 OK\r\nContent-Length: "
                + (HttpLimits.MAX_BODY_BYTES + 1) + "\r\n\r\n")))
                .isInstanceOf(HttpProtocolException.class).hasMessageContaining("Content-Length exceeds");
    }

    @Test
    void refusesChunkedBodyThatGrowsOverLimit() {
        String chunk = "%X\r\n".formatted(HttpLimits.MAX_BODY_BYTES / 2 + 1);
        HttpResponseParser parser = new HttpResponseParser();
        assertThatThrownBy(() -> {
            parser.feed(b("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk));
            parser.feed(new byte[HttpLimits.MAX_BODY_BYTES / 2 + 1]);
            parser.feed(b("\r\n" + chunk));
        }).isInstanceOf(HttpProtocolException.class).hasMessageContaining("chunked body exceeds");
    }

    @Test
    void refusesBadChunkSizes() {
        for (String size : new String[] {"zz", "", "-1", "123456789", "0x10", "1 2"}) {
            assertThatThrownBy(() -> new HttpResponseParser().feed(
                    b("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\nxx")))
                    .as("size '%s'", size).isInstanceOf(HttpProtocolException.class);
        }
    }

    @Test
    void refusesChunkDataWithoutTrailingCrlf() {
        assertThatThrownBy(() -> new HttpResponseParser().feed(
                b("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY")))
                .isInstanceOf(HttpProtocolException.class).hasMessageContaining("CRLF");
    }

    @Test
    void refusesAmbiguousFraming() {
        assertThatThrownBy(() -> new HttpRequestParser().feed(b(
                "POST /wsman HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")))
                .isInstanceOf(HttpProtocolException.class).hasMessageContaining("both");
        assertThatThrownBy(() -> new HttpRequestParser().feed(b(
                "POST /wsman HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n")))
                .isInstanceOf(HttpProtocolException.class).hasMessageContaining("conflicting");
        assertThatThrownBy(() -> new HttpRequestParser().feed(b(
                "POST /wsman HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")))
                .isInstanceOf(HttpProtocolException.class);
    }

    @Test
    void refusesBareLineFeedsFoldingAndResponsesWithoutFraming() {
        assertThatThrownBy(() -> new HttpResponseParser().feed(b("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n")))
                .isInstanceOf(HttpProtocolException.class);
        assertThatThrownBy(() -> new HttpResponseParser().feed(b("HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n")))
                .isInstanceOf(HttpProtocolException.class);
        assertThatThrownBy(() -> new HttpResponseParser().feed(b("HTTP/1.1 200 OK\r\nServer: x\r\n\r\nbody")))
                .isInstanceOf(HttpProtocolException.class).hasMessageContaining("without Content-Length");
    }

    @Test
    void staysFailedAfterTheFirstError() {
        HttpResponseParser parser = new HttpResponseParser();
        assertThatThrownBy(() -> parser.feed(b("NOT HTTP\r\n\r\n"))).isInstanceOf(HttpProtocolException.class);
        assertThatThrownBy(() -> parser.feed(b("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")))
                .isInstanceOf(HttpProtocolException.class).hasMessageContaining("already failed");
    }

    @Test
    void requestEncoderAndParserRoundTripWithContentLength() throws Exception {
        // given
        HttpRequest request = new HttpRequest("POST", "/wsman",
                HttpHeaders.of("Host", "guid:16992", "Transfer-Encoding", "chunked"), b("<x/>"));
        // when
        byte[] wire = new HttpRequestEncoder().encode(request);
        HttpRequest parsed = new HttpRequestParser().feed(wire).orElseThrow();
        // then: framing replaced by Content-Length, never chunked
        assertThat(new String(wire, StandardCharsets.US_ASCII)).startsWith("POST /wsman HTTP/1.1\r\nHost: guid:16992\r\nContent-Length: 4\r\n\r\n");
        assertThat(parsed.body()).isEqualTo(b("<x/>"));
        assertThat(parsed.headers().first("transfer-encoding")).isEmpty();
    }

    @Test
    void chunkedEncoderWritesFourDigitUppercaseSizes() throws Exception {
        HttpResponse r = new HttpResponse(200, "OK", HttpHeaders.of("Server", "s"), new byte[0x2FA]);
        String wire = new String(new HttpResponseEncoder().encodeChunked(r, 0x220), StandardCharsets.ISO_8859_1);
        assertThat(wire).contains("\r\n0220\r\n").contains("\r\n00DA\r\n").endsWith("\r\n0\r\n\r\n");
        assertThat(new HttpResponseParser().feed(b(wire)).orElseThrow().body()).hasSize(0x2FA);
    }

    @Test
    void headerValuesCannotSmuggleLines() {
        assertThatThrownBy(() -> HttpHeaders.of("X", "a\r\nInjected: yes")).isInstanceOf(IllegalArgumentException.class);
    }
}
