package verity.gateway;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import verity.config.Proxies;

/**
 * A small blocking HTTP/1.1 client for model servers, made for virtual threads: one exchange at a time per
 * connection, a pool of kept-alive connections per origin (most recently used first), plain sockets or TLS
 * ({@link SSLSocket}, host name verified). There is no selector thread and no timer: every read waits at most
 * the exchange's read timeout ({@code SO_TIMEOUT}), which bounds both the wait for the answer to start and each
 * silence within a streamed answer, and closing a {@link Response} before its body ended closes the connection,
 * which is how an exchange is cancelled.
 *
 * <p>Why not a library: the JDK client costs 200–260 µs of CPU per call here (selector thread hand-offs, a timer
 * per request), Jetty's client as much, Apache HttpClient 5 classic and OkHttp 60–75 µs against ≈50 µs for a bare
 * socket exchange; and the relay needs to know whether more of a streamed answer is already at hand (to flush
 * only before a read that would wait), which their chunked decoders hide at chunk boundaries. See bench/GATEWAY.md.
 *
 * <p>A kept-alive connection the server has closed in the meantime fails when reused; such an exchange is
 * retried once on a new connection when not a byte of the answer had arrived (the usual stale-connection rule).
 */
final class ModelHttp implements AutoCloseable {
    /** Idle time after which a pooled connection is not reused, unless the server announced another. */
    static final long DEFAULT_KEEP_ALIVE_MS = 4_000;
    private static final int MAX_IDLE_PER_ORIGIN = 256;
    private static final int MAX_HEADER_LINE = 64 << 10;
    private static final int MAX_HEADERS = 200;

    /** The server could not be reached (refused, unknown host, connect timeout, TLS handshake failed). */
    static final class ConnectFailed extends IOException {
        ConnectFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final int connectTimeoutMs;
    private final Proxies proxies;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    private volatile SSLSocketFactory tls;

    ModelHttp(int connectTimeoutMs) {
        this(connectTimeoutMs, null);
    }

    /** @param tls the TLS sockets to use for https, or null for the JVM's default (its trust store) */
    ModelHttp(int connectTimeoutMs, SSLSocketFactory tls) {
        this(connectTimeoutMs, tls, Proxies.NONE);
    }

    ModelHttp(int connectTimeoutMs, SSLSocketFactory tls, Proxies proxies) {
        this.connectTimeoutMs = connectTimeoutMs;
        this.tls = tls;
        this.proxies = proxies;
    }

    /**
     * A parsed URL: where to connect, what to send on the request line and in Host, and the proxy to go through
     * ({@code via}, null for a direct connection). Pools are per origin and proxy.
     */
    record Target(String host, int port, boolean https, String pathAndQuery, String hostHeader, String origin, Proxies.Proxy via) {
        Target through(Proxies.Proxy proxy) {
            return proxy == null ? this : new Target(host, port, https, pathAndQuery, hostHeader, origin + " via " + proxy, proxy);
        }

        /** An http request through a proxy names the whole URL on its request line (absolute form). */
        String requestTarget() {
            return via != null && !https ? "http://" + hostHeader + pathAndQuery : pathAndQuery;
        }

        static Target of(String url) {
            URI u = URI.create(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("Not an http(s) URL: " + url);
            }
            String host = u.getHost();
            if (host == null) {
                throw new IllegalArgumentException("No host in " + url);
            }
            boolean https = scheme.equals("https");
            int port = u.getPort() >= 0 ? u.getPort() : https ? 443 : 80;
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            if (u.getRawQuery() != null) {
                path += "?" + u.getRawQuery();
            }
            String hostHeader = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
            if (u.getPort() >= 0) {
                hostHeader += ":" + port;
            }
            String connectHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            return new Target(connectHost, port, https, path, hostHeader, scheme + "://" + hostHeader + "/" + port, null);
        }
    }

    Target target(String url) {
        Target t = targets.get(url);
        if (t == null) {
            Target parsed = Target.of(url);
            t = parsed.through(proxies.select(parsed.host(), parsed.port(), parsed.https()));
            if (targets.size() > 1_000) {
                targets.clear();
            }
            targets.put(url, t);
        }
        return t;
    }

    /**
     * Sends one request and reads the answer's status line and headers; the body is left to the caller, who must
     * close the response (reading the body to its end returns the connection to the pool).
     *
     * @param headers extra request headers (Host, Content-Length and Connection are set here)
     * @param body the request body, or null for none
     * @param readTimeoutMs the longest wait for any read, the answer's start included
     */
    Response send(String method, String url, Map<String, String> headers, byte[] body, int readTimeoutMs) throws IOException {
        Target t = target(url);
        byte[] request = request(method, t, headers, body);
        Pool pool = pools.computeIfAbsent(t.origin(), k -> new Pool());
        for (int attempt = 1; ; attempt++) {
            Conn c = attempt == 1 ? pool.take() : null;
            boolean reused = c != null;
            if (c == null) {
                c = connect(t);
            }
            try {
                c.socket.setSoTimeout(readTimeoutMs);
                c.received = 0;
                c.out.write(request);
                c.out.flush();
                return read(c, pool, method);
            } catch (IOException e) {
                c.close();
                if (reused && c.received == 0 && !(e instanceof SocketTimeoutException)) {
                    continue; // a stale kept-alive connection: the server never saw or never answered this request
                }
                throw e;
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
        }
    }

    /** Head and body in one array: one write, one TCP segment for a small request (the socket has no Nagle delay). */
    private static byte[] request(String method, Target t, Map<String, String> headers, byte[] body) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ').append(t.requestTarget()).append(" HTTP/1.1\r\nHost: ").append(t.hostHeader()).append("\r\n");
        if (t.via() != null && !t.https() && t.via().authorization() != null) {
            sb.append("Proxy-Authorization: ").append(t.via().authorization()).append("\r\n");
        }
        headers.forEach((k, v) -> {
            if (k.indexOf('\r') >= 0 || k.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("Line break in header " + k);
            }
            sb.append(k).append(": ").append(v).append("\r\n");
        });
        if (body != null) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null || body.length == 0) {
            return head;
        }
        byte[] request = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    private Conn connect(Target t) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            if (t.via() == null) {
                s.connect(new InetSocketAddress(t.host(), t.port()), connectTimeoutMs);
            } else {
                s.connect(new InetSocketAddress(t.via().host(), t.via().port()), connectTimeoutMs);
                if (t.https()) {
                    tunnel(s, t);
                }
            }
            if (t.https()) {
                SSLSocket ssl = (SSLSocket) tlsFactory().createSocket(s, t.host(), t.port(), true);
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(p);
                ssl.setSoTimeout(connectTimeoutMs);
                ssl.startHandshake();
                s = ssl;
            }
            return new Conn(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new ConnectFailed(t.host() + ":" + t.port() + ": " + e.getMessage(), e);
        }
    }

    /** Asks the proxy for a tunnel to the model server (CONNECT); TLS then runs inside it, end to end. */
    private void tunnel(Socket s, Target t) throws IOException {
        String authority = (t.host().contains(":") ? "[" + t.host() + "]" : t.host()) + ":" + t.port();
        StringBuilder sb = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
        if (t.via().authorization() != null) {
            sb.append("Proxy-Authorization: ").append(t.via().authorization()).append("\r\n");
        }
        s.setSoTimeout(connectTimeoutMs);
        OutputStream out = s.getOutputStream();
        out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        // Read the answer byte by byte: whatever follows its blank line belongs to the TLS handshake.
        InputStream in = s.getInputStream();
        String status = headLine(in);
        int headers = 0;
        while (!headLine(in).isEmpty()) { // the proxy's headers say nothing the tunnel needs
            if (++headers > MAX_HEADERS) {
                throw new IOException("the proxy " + t.via() + " sent more than " + MAX_HEADERS + " header lines");
            }
        }
        if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(9) != '2') {
            throw new IOException("the proxy " + t.via() + " refused the tunnel: " + abbreviate(status));
        }
    }

    private static String headLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the proxy closed the connection");
            }
            if (line.length() >= MAX_HEADER_LINE) {
                throw new IOException("header line from the proxy too long");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private SSLSocketFactory tlsFactory() {
        SSLSocketFactory f = tls;
        if (f == null) {
            f = (SSLSocketFactory) SSLSocketFactory.getDefault();
            tls = f;
        }
        return f;
    }

    private static Response read(Conn c, Pool pool, String method) throws IOException {
        while (true) {
            String status = c.readLine();
            if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
                throw new IOException("Not an HTTP/1.x status line: " + abbreviate(status));
            }
            int code;
            try {
                code = Integer.parseInt(status, 9, 12, 10);
            } catch (NumberFormatException e) {
                throw new IOException("Bad status line: " + abbreviate(status));
            }
            boolean http10 = status.startsWith("HTTP/1.0");
            Map<String, String> headers = new HashMap<>();
            for (String line = c.readLine(); !line.isEmpty(); line = c.readLine()) {
                int colon = line.indexOf(':');
                if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                headers.merge(name, value, (a, b) -> a + ", " + b);
            }
            if (code >= 100 && code < 200 && code != 101) {
                continue; // 100 Continue, 103 Early Hints: the real answer follows
            }
            String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
            boolean keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
            c.keepAliveMs = keepAliveMs(headers.get("keep-alive"));
            long length;
            String te = headers.get("transfer-encoding");
            if (method.equals("HEAD") || code == 204 || code == 304) {
                length = 0;
            } else if (te != null && te.toLowerCase(Locale.ROOT).endsWith("chunked")) {
                length = Response.CHUNKED;
            } else if (te != null) {
                length = Response.UNTIL_CLOSE;
            } else if (headers.containsKey("content-length")) {
                try {
                    length = Long.parseLong(headers.get("content-length").split(",")[0].trim());
                } catch (NumberFormatException e) {
                    throw new IOException("Bad Content-Length: " + headers.get("content-length"));
                }
                if (length < 0) {
                    throw new IOException("Bad Content-Length: " + length);
                }
            } else {
                length = Response.UNTIL_CLOSE;
            }
            if (length == Response.UNTIL_CLOSE) {
                keepAlive = false;
            }
            return new Response(code, headers, c, keepAlive ? pool : null, length);
        }
    }

    private static long keepAliveMs(String header) {
        if (header != null) {
            for (String part : header.split(",")) {
                String p = part.trim();
                if (p.regionMatches(true, 0, "timeout=", 0, 8)) {
                    try {
                        long seconds = Long.parseLong(p.substring(8).trim());
                        return Math.max(0, seconds * 1000 - 500);
                    } catch (NumberFormatException ignored) {
                        // use the default
                    }
                }
            }
        }
        return DEFAULT_KEEP_ALIVE_MS;
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }

    /** Closes every idle connection (exchanges in progress finish on their own). */
    @Override
    public void close() {
        pools.values().forEach(Pool::closeAll);
    }

    /** Idle connections to one origin, most recently used first. */
    static final class Pool {
        private final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();
        private final AtomicInteger size = new AtomicInteger();
        private volatile long lastSweep = System.nanoTime();

        Conn take() {
            long now = System.nanoTime();
            for (Conn c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
                size.decrementAndGet();
                if (!c.expired(now)) {
                    return c;
                }
                c.close();
            }
            return null;
        }

        void give(Conn c) {
            long now = System.nanoTime();
            c.idleSince = now;
            if (size.incrementAndGet() > MAX_IDLE_PER_ORIGIN) {
                size.decrementAndGet();
                c.close();
                return;
            }
            idle.offerFirst(c);
            if (now - lastSweep > 1_000_000_000L) {
                lastSweep = now;
                sweep(now);
            }
        }

        /** Closes connections that stayed idle too long (the oldest are at the end). */
        private void sweep(long now) {
            for (Iterator<Conn> it = idle.descendingIterator(); it.hasNext(); ) {
                Conn c = it.next();
                if (!c.expired(now)) {
                    break;
                }
                if (idle.removeLastOccurrence(c)) {
                    size.decrementAndGet();
                    c.close();
                }
            }
        }

        int idleCount() {
            return size.get();
        }

        void closeAll() {
            for (Conn c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
                size.decrementAndGet();
                c.close();
            }
        }
    }

    int idleConnections(String url) {
        Pool p = pools.get(target(url).origin());
        return p == null ? 0 : p.idleCount();
    }

    /** One connection with its read buffer. */
    static final class Conn {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buf = new byte[16 << 10];
        int pos;
        int lim;
        long received;
        long idleSince;
        long keepAliveMs = DEFAULT_KEEP_ALIVE_MS;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        boolean expired(long now) {
            return (now - idleSince) / 1_000_000 >= keepAliveMs || socket.isClosed();
        }

        /** Fills the buffer when empty; false at the end of the stream. */
        boolean fill() throws IOException {
            if (pos < lim) {
                return true;
            }
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                return false;
            }
            pos = 0;
            lim = n;
            received += n;
            return true;
        }

        /** Bytes readable without waiting: what is buffered, else what the socket has. */
        int available() throws IOException {
            return pos < lim ? lim - pos : in.available();
        }

        /** A header line without its CRLF (or LF), as ISO-8859-1. */
        String readLine() throws IOException {
            StringBuilder sb = null;
            while (true) {
                if (!fill()) {
                    throw new EOFException(received == 0 ? "connection closed before any answer" : "connection closed in the answer's headers");
                }
                int start = pos;
                int i = start;
                while (i < lim && buf[i] != '\n') {
                    i++;
                }
                if (i < lim) {
                    pos = i + 1;
                    int end = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                    if (sb == null) {
                        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
                    }
                    sb.append(new String(buf, start, i - start, StandardCharsets.ISO_8859_1));
                    int len = sb.length();
                    if (len > 0 && sb.charAt(len - 1) == '\r') {
                        sb.setLength(len - 1);
                    }
                    return sb.toString();
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(new String(buf, start, lim - start, StandardCharsets.ISO_8859_1));
                pos = lim;
                if (sb.length() > MAX_HEADER_LINE) {
                    throw new IOException("Header line too long");
                }
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /**
     * An answer: status, headers (lower-case names, repeated headers joined with ", ") and the body as a stream.
     * Reading the body to its end gives the connection back to the pool; closing the response before that closes
     * the connection (cancelling the exchange on the server's side).
     */
    static final class Response implements AutoCloseable {
        static final long CHUNKED = -1;
        static final long UNTIL_CLOSE = -2;

        private final int status;
        private final Map<String, String> headers;
        private final Body body;

        Response(int status, Map<String, String> headers, Conn conn, Pool pool, long length) {
            this.status = status;
            this.headers = headers;
            this.body = new Body(conn, pool, length);
        }

        int status() {
            return status;
        }

        String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }

        InputStream body() {
            return body;
        }

        /** Closes the connection now, also from another thread: a read in progress fails. */
        void abort() {
            body.abort();
        }

        @Override
        public void close() {
            body.close();
        }
    }

    /** Content-Length, chunked or until-close body; gives the connection back (or closes it) when done. */
    static final class Body extends InputStream {
        private Conn conn;
        private final Pool pool;
        private final boolean chunked;
        private final boolean untilClose;
        private long remaining; // fixed length: bytes left; chunked: bytes left in the current chunk
        private boolean firstChunk = true;
        private boolean eof;
        private volatile boolean aborted;

        Body(Conn conn, Pool pool, long length) {
            this.conn = conn;
            this.pool = pool;
            this.chunked = length == Response.CHUNKED;
            this.untilClose = length == Response.UNTIL_CLOSE;
            this.remaining = length > 0 ? length : 0;
            if (length == 0) {
                finish();
            }
        }

        /** A Content-Length body that fits goes into one array of its size (no 16 KB buffers to copy from). */
        @Override
        public byte[] readNBytes(int len) throws IOException {
            if (chunked || untilClose || eof || conn == null || remaining > len) {
                return super.readNBytes(len);
            }
            byte[] b = new byte[(int) remaining];
            int n = readNBytes(b, 0, b.length);
            return n == b.length ? b : java.util.Arrays.copyOf(b, n);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (eof) {
                return -1;
            }
            if (conn == null) {
                throw new IOException("response closed");
            }
            if (len == 0) {
                return 0;
            }
            try {
                if (chunked && remaining == 0 && !nextChunk()) {
                    return -1;
                }
                if (!conn.fill()) {
                    if (untilClose) {
                        finish();
                        return -1;
                    }
                    throw new EOFException("connection closed in the middle of the answer");
                }
                int n = conn.lim - conn.pos;
                if (n > len) {
                    n = len;
                }
                if (!untilClose && n > remaining) {
                    n = (int) remaining;
                }
                System.arraycopy(conn.buf, conn.pos, b, off, n);
                conn.pos += n;
                if (!untilClose) {
                    remaining -= n;
                    if (remaining == 0 && !chunked) {
                        finish();
                    }
                }
                return n;
            } catch (IOException e) {
                if (aborted) {
                    throw new IOException("response closed", e);
                }
                throw e;
            }
        }

        /** Reads the next chunk's size line; false (and the body finished) after the last chunk. */
        private boolean nextChunk() throws IOException {
            if (!firstChunk) {
                String crlf = conn.readLine();
                if (!crlf.isEmpty()) {
                    throw new IOException("Malformed chunked body: no CRLF after a chunk");
                }
            }
            firstChunk = false;
            String line = conn.readLine();
            int semicolon = line.indexOf(';');
            String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("Malformed chunk size: " + abbreviate(line));
            }
            if (size < 0) {
                throw new IOException("Malformed chunk size: " + abbreviate(line));
            }
            if (size == 0) {
                for (String trailer = conn.readLine(); !trailer.isEmpty(); trailer = conn.readLine()) {
                    // trailers are ignored
                }
                finish();
                return false;
            }
            remaining = size;
            return true;
        }

        /**
         * Body bytes readable without waiting. Within a chunk: what is buffered of it, else what the socket has. At
         * a chunk boundary, the next chunk's header is taken from the buffer when it is all there; otherwise 0
         * (the framing bytes alone say nothing about whether data follows).
         */
        @Override
        public int available() throws IOException {
            if (eof || conn == null) {
                return 0;
            }
            if (chunked && remaining == 0 && !nextChunkBuffered()) {
                return 0;
            }
            int n = conn.available();
            return !untilClose && n > remaining ? (int) remaining : n;
        }

        /** Reads the next chunk header when it is entirely in the buffer, without waiting; false otherwise. */
        private boolean nextChunkBuffered() throws IOException {
            byte[] buf = conn.buf;
            int i = conn.pos;
            int lim = conn.lim;
            if (!firstChunk) {
                if (i < lim && buf[i] == '\r') {
                    i++;
                }
                if (i >= lim || buf[i] != '\n') {
                    return false;
                }
                i++;
            }
            int lineStart = i;
            while (i < lim && buf[i] != '\n') {
                i++;
            }
            if (i >= lim) {
                return false;
            }
            long size = 0;
            int digits = 0;
            for (int j = lineStart; j < i; j++) {
                int d = Character.digit(buf[j], 16);
                if (d < 0) {
                    break;
                }
                size = size * 16 + d;
                if (++digits > 15) {
                    return false;
                }
            }
            if (digits == 0 || size == 0) {
                return false; // malformed or the last chunk: left to read(), which reports or finishes
            }
            conn.pos = i + 1;
            firstChunk = false;
            remaining = size;
            return true;
        }

        /**
         * Whether the rest of the answer is already buffered, so reading to its end will not wait: nothing left of
         * a Content-Length, or the last chunk (without extensions or trailers) at the next chunk boundary.
         */
        boolean endBuffered() {
            if (eof) {
                return true;
            }
            if (untilClose || conn == null || remaining > 0) {
                return false;
            }
            if (!chunked) {
                return true;
            }
            byte[] buf = conn.buf;
            int i = conn.pos;
            int lim = conn.lim;
            if (!firstChunk) {
                i = lineEnd(buf, i, lim);
                if (i < 0) {
                    return false;
                }
            }
            if (i >= lim || buf[i] != '0') {
                return false;
            }
            i = lineEnd(buf, i + 1, lim);
            return i >= 0 && lineEnd(buf, i, lim) >= 0;
        }

        /** The index after a CRLF (or LF) at {@code i}, or -1 when it is not (all) there. */
        private static int lineEnd(byte[] buf, int i, int lim) {
            if (i < lim && buf[i] == '\r') {
                i++;
            }
            return i < lim && buf[i] == '\n' ? i + 1 : -1;
        }

        private void finish() {
            eof = true;
            Conn c = conn;
            conn = null;
            if (c == null) {
                return;
            }
            if (pool != null && c.pos == c.lim) {
                pool.give(c);
            } else {
                c.close(); // no keep-alive, or the server sent more than the answer
            }
        }

        void abort() {
            aborted = true;
            Conn c = conn;
            if (c != null) {
                c.close();
            }
        }

        @Override
        public void close() {
            if (!eof) {
                eof = true;
                Conn c = conn;
                conn = null;
                if (c != null) {
                    c.close();
                }
            }
        }
    }
}
