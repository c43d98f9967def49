package org.amtbus.wsman.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The incremental HTTP/1.1 framing shared by the request and the response parser. Bytes are appended to
 * an accumulator; each call consumes as much as it can and returns a message once one is complete, keeping
 * any following bytes for the next message. Every length read from the wire is checked against
 * {@link HttpLimits} before it is used, and every step consumes at least one byte or waits for more, so
 * no input can loop. After the first error the decoder stays failed. Not thread-safe: one per connection.
 */
final class HttpMessageDecoder {

    /** A framed message before its start line is interpreted by the caller. */
    record Parsed(String startLine, int status, HttpHeaders headers, byte[] body) {
    }

    private enum State { HEAD, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, FAILED }

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final boolean response;
    private byte[] buf = new byte[512];
    private int start;
    private int end;
    private int scan;
    private State state = State.HEAD;

    private String startLine;
    private int status;
    private HttpHeaders headers;
    private ByteArrayOutputStream body;
    private long remaining;
    private int trailerBytes;
    private int trailerCount;

    HttpMessageDecoder(boolean response) {
        this.response = response;
    }

    Optional<Parsed> feed(byte[] data, int offset, int length) throws HttpProtocolException {
        if (state == State.FAILED) {
            throw new HttpProtocolException("stream already failed");
        }
        append(data, offset, length);
        try {
            return step();
        } catch (HttpProtocolException e) {
            state = State.FAILED;
            throw e;
        }
    }

    /** Bytes received but not yet part of a returned message. */
    int buffered() {
        return end - start;
    }

    /** True when no partial message is pending. */
    boolean idle() {
        return state == State.HEAD && end == start;
    }

    private void append(byte[] data, int offset, int length) throws HttpProtocolException {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("bad offset or length");
        }
        long pending = (long) (end - start) + length;
        // nothing legitimate ever needs more buffered than a head plus a whole body
        if (pending > (long) HttpLimits.MAX_HEADER_BYTES * 2 + HttpLimits.MAX_BODY_BYTES) {
            state = State.FAILED;
            throw new HttpProtocolException("too many bytes buffered");
        }
        if (end + length > buf.length) {
            int live = end - start;
            if (live + length > buf.length) {
                buf = Arrays.copyOfRange(buf, start, start + Math.max(buf.length * 2, live + length));
            } else {
                System.arraycopy(buf, start, buf, 0, live);
            }
            scan -= start;
            end = live;
            start = 0;
        }
        System.arraycopy(data, offset, buf, end, length);
        end += length;
    }

    private Optional<Parsed> step() throws HttpProtocolException {
        while (true) {
            switch (state) {
                case HEAD -> {
                    int headEnd = findHeadEnd();
                    if (headEnd < 0) {
                        return Optional.empty();
                    }
                    parseHead(headEnd);
                    if (state == State.HEAD) {
                        return Optional.of(finish());
                    }
                }
                case FIXED_BODY -> {
                    if (!copyBody()) {
                        return Optional.empty();
                    }
                    return Optional.of(finish());
                }
                case CHUNK_SIZE -> {
                    int lineEnd = findLine(HttpLimits.MAX_CHUNK_LINE_BYTES, "chunk size line");
                    if (lineEnd < 0) {
                        return Optional.empty();
                    }
                    long size = parseChunkSize(start, lineEnd);
                    start = lineEnd + 2;
                    if (size == 0) {
                        state = State.TRAILERS;
                    } else {
                        if (body.size() + size > HttpLimits.MAX_BODY_BYTES) {
                            throw new HttpProtocolException("chunked body exceeds " + HttpLimits.MAX_BODY_BYTES + " bytes");
                        }
                        remaining = size;
                        state = State.CHUNK_DATA;
                    }
                }
                case CHUNK_DATA -> {
                    if (!copyBody()) {
                        return Optional.empty();
                    }
                    state = State.CHUNK_DATA_END;
                }
                case CHUNK_DATA_END -> {
                    if (end - start < 2) {
                        return Optional.empty();
                    }
                    if (buf[start] != CR || buf[start + 1] != LF) {
                        throw new HttpProtocolException("chunk data not followed by CRLF");
                    }
                    start += 2;
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    int limit = HttpLimits.MAX_HEADER_BYTES - trailerBytes;
                    int lineEnd = findLine(limit, "trailer section");
                    if (lineEnd < 0) {
                        return Optional.empty();
                    }
                    String line = ascii(start, lineEnd, "trailer");
                    trailerBytes += lineEnd - start + 2;
                    start = lineEnd + 2;
                    if (line.isEmpty()) {
                        return Optional.of(finish());
                    }
                    if (++trailerCount > HttpLimits.MAX_HEADER_COUNT) {
                        throw new HttpProtocolException("more than " + HttpLimits.MAX_HEADER_COUNT + " trailer fields");
                    }
                    parseField(line); // validated, then dropped: no trailer carries meaning here
                }
                case FAILED -> throw new HttpProtocolException("stream already failed");
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** Index of the CR of the empty line ending the head, or -1 if not yet received. */
    private int findHeadEnd() throws HttpProtocolException {
        int from = Math.max(start, scan);
        for (int i = from; i + 3 < end; i++) {
            if (buf[i] == CR && buf[i + 1] == LF && buf[i + 2] == CR && buf[i + 3] == LF) {
                if (i + 4 - start > HttpLimits.MAX_HEADER_BYTES) {
                    throw new HttpProtocolException("header section exceeds " + HttpLimits.MAX_HEADER_BYTES + " bytes");
                }
                scan = 0;
                return i;
            }
        }
        if (end - start > HttpLimits.MAX_HEADER_BYTES) {
            throw new HttpProtocolException("header section exceeds " + HttpLimits.MAX_HEADER_BYTES + " bytes");
        }
        scan = Math.max(start, end - 3);
        return -1;
    }

    /** Index of the CR ending the line at {@code start}, -1 if incomplete; refuses lines over {@code max}. */
    private int findLine(int max, String what) throws HttpProtocolException {
        for (int i = start; i + 1 < end; i++) {
            if (i - start > max) {
                break;
            }
            if (buf[i] == CR) {
                if (buf[i + 1] != LF) {
                    throw new HttpProtocolException("bare CR in " + what);
                }
                return i;
            }
            if (buf[i] == LF) {
                throw new HttpProtocolException("bare LF in " + what);
            }
        }
        if (end - start > max) {
            throw new HttpProtocolException(what + " exceeds " + max + " bytes");
        }
        return -1;
    }

    private void parseHead(int headEnd) throws HttpProtocolException {
        String head = ascii(start, headEnd, "header section");
        start = headEnd + 4;
        String[] lines = head.split("\r\n", -1);
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new HttpProtocolException("bare CR or LF in header section");
            }
        }
        startLine = lines[0];
        status = response ? parseStatusLine(startLine) : checkRequestLine(startLine);
        if (lines.length - 1 > HttpLimits.MAX_HEADER_COUNT) {
            throw new HttpProtocolException("more than " + HttpLimits.MAX_HEADER_COUNT + " header fields");
        }
        List<HttpHeaders.Field> fields = new ArrayList<>(lines.length - 1);
        for (int i = 1; i < lines.length; i++) {
            fields.add(parseField(lines[i]));
        }
        headers = new HttpHeaders(fields);
        body = new ByteArrayOutputStream();
        chooseFraming();
    }

    private void chooseFraming() throws HttpProtocolException {
        List<String> te = headers.all("Transfer-Encoding");
        List<String> cl = headers.all("Content-Length");
        if (!te.isEmpty() && !cl.isEmpty()) {
            throw new HttpProtocolException("both Transfer-Encoding and Content-Length");
        }
        if (!te.isEmpty()) {
            if (te.size() != 1 || !te.get(0).trim().toLowerCase(Locale.ROOT).equals("chunked")) {
                throw new HttpProtocolException("unsupported Transfer-Encoding");
            }
            state = State.CHUNK_SIZE;
            return;
        }
        if (!cl.isEmpty()) {
            long length = -1;
            for (String value : cl) {
                long v = parseContentLength(value.trim());
                if (length >= 0 && v != length) {
                    throw new HttpProtocolException("conflicting Content-Length values");
                }
                length = v;
            }
            remaining = length;
            state = length == 0 ? State.HEAD : State.FIXED_BODY;
            return;
        }
        boolean bodyless = !response || status < 200 || status == 204 || status == 304;
        if (!bodyless) {
            // read-until-close would let a peer hold the exchange open forever; AMT always frames
            throw new HttpProtocolException("response without Content-Length or chunked framing");
        }
        state = State.HEAD;
    }

    private static long parseContentLength(String value) throws HttpProtocolException {
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new HttpProtocolException("Content-Length is not a decimal number");
        }
        long v = Long.parseLong(value);
        if (v > HttpLimits.MAX_BODY_BYTES) {
            throw new HttpProtocolException("Content-Length exceeds " + HttpLimits.MAX_BODY_BYTES + " bytes");
        }
        return v;
    }

    private long parseChunkSize(int from, int to) throws HttpProtocolException {
        int i = from;
        long size = 0;
        int digits = 0;
        while (i < to && Character.digit(buf[i], 16) >= 0) {
            if (++digits > HttpLimits.MAX_CHUNK_SIZE_DIGITS) {
                throw new HttpProtocolException("chunk size has more than " + HttpLimits.MAX_CHUNK_SIZE_DIGITS + " digits");
            }
            size = size * 16 + Character.digit(buf[i], 16);
            i++;
        }
        if (digits == 0) {
            throw new HttpProtocolException("chunk size is not hexadecimal");
        }
        while (i < to && (buf[i] == ' ' || buf[i] == '\t')) {
            i++;
        }
        if (i < to && buf[i] != ';') {
            throw new HttpProtocolException("chunk size is not hexadecimal");
        }
        for (; i < to; i++) { // extensions: ignored, but must be visible ASCII
            if ((buf[i] < 32 && buf[i] != '\t') || buf[i] == 127) {
                throw new HttpProtocolException("control character in chunk extension");
            }
        }
        return size;
    }

    /** Copies body bytes; true once {@code remaining} reached zero. */
    private boolean copyBody() {
        int n = (int) Math.min(remaining, end - start);
        body.write(buf, start, n);
        start += n;
        remaining -= n;
        return remaining == 0;
    }

    private Parsed finish() {
        Parsed parsed = new Parsed(startLine, status, headers, body.toByteArray());
        state = State.HEAD;
        startLine = null;
        headers = null;
        body = null;
        trailerBytes = 0;
        trailerCount = 0;
        scan = start;
        return parsed;
    }

    private String ascii(int from, int to, String what) throws HttpProtocolException {
        for (int i = from; i < to; i++) {
            int c = buf[i] & 0xff;
            if ((c < 32 && c != '\t' && c != '\r' && c != '\n') || c == 127 || c >= 128) {
                throw new HttpProtocolException("non-ASCII or control byte in " + what);
            }
        }
        return new String(buf, from, to - from, StandardCharsets.US_ASCII);
    }

    private static HttpHeaders.Field parseField(String line) throws HttpProtocolException {
        if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
            throw new HttpProtocolException("obsolete line folding or empty header line");
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new HttpProtocolException("header line without a name");
        }
        String name = line.substring(0, colon);
        if (!name.chars().allMatch(HttpHeaders::isTokenChar)) {
            throw new HttpProtocolException("header name is not a token");
        }
        return new HttpHeaders.Field(name, line.substring(colon + 1).strip());
    }

    private static int checkRequestLine(String line) throws HttpProtocolException {
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()
                || !parts[0].chars().allMatch(HttpHeaders::isTokenChar)) {
            throw new HttpProtocolException("malformed request line");
        }
        if (!parts[2].equals("HTTP/1.1")) {
            throw new HttpProtocolException("unsupported HTTP version");
        }
        return 0;
    }

    private static int parseStatusLine(String line) throws HttpProtocolException {
        if (!line.startsWith("HTTP/1.1 ") && !line.startsWith("HTTP/1.0 ")) {
            throw new HttpProtocolException("malformed status line");
        }
        if (line.length() < 12 || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new HttpProtocolException("malformed status line");
        }
        String code = line.substring(9, 12);
        if (!code.chars().allMatch(c -> c >= '0' && c <= '9') || code.charAt(0) == '0') {
            throw new HttpProtocolException("malformed status code");
        }
        return Integer.parseInt(code);
    }
}
