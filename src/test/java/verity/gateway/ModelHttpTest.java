package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The model-server client against a scripted raw HTTP/1.1 server: framing, keep-alive, retries, timeouts. */
class ModelHttpTest {
    /** What the server does with one request: write an answer; return false to close the connection after it. */
    interface Script {
        boolean answer(int connection, int request, String head, String body, OutputStream out) throws Exception;
    }

    /** A server that runs a script for every request on every connection, counting both. */
    static final class Server implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();
        final CountDownLatch closedByClient = new CountDownLatch(1);
        final Script script;

        Server(Script script) throws IOException {
            this(script, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        }

        Server(Script script, ServerSocket socket) {
            this.script = script;
            this.socket = socket;
            Thread.ofVirtual().start(this::accept);
        }

        String url(String path) {
            return (socket instanceof javax.net.ssl.SSLServerSocket ? "https" : "http") + "://127.0.0.1:" + socket.getLocalPort() + path;
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    int n = connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s, n));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket s, int connection) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (int request = 1; ; request++) {
                    String head = readHead(in);
                    if (head == null) {
                        closedByClient.countDown();
                        return;
                    }
                    int length = 0;
                    for (String line : head.split("\r\n")) {
                        if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                    requests.add(head + body);
                    if (!script.answer(connection, request, head, body, out)) {
                        return;
                    }
                    out.flush();
                }
            } catch (Exception e) {
                closedByClient.countDown();
            }
        }

        /** A request head up to its blank line, or null when the connection ends first. */
        static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                b.write(c);
                byte[] a = b.toByteArray();
                int n = a.length;
                if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                    return b.toString(StandardCharsets.ISO_8859_1);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    final ModelHttp http = new ModelHttp(2_000);
    Server server;

    @AfterEach
    void close() throws IOException {
        http.close();
        if (server != null) {
            server.close();
        }
    }

    String call(String path) throws IOException {
        try (ModelHttp.Response r = http.send("POST", server.url(path), Map.of("Content-Type", "application/json"),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 5_000)) {
            return r.status() + " " + new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void content_length_answers_reuse_one_connection() throws Exception {
        server = new Server((c, r, head, body, out) -> {
            write(out, ok("{\"n\":" + r + ",\"got\":" + body + "}"));
            return true;
        });
        assertEquals("200 {\"n\":1,\"got\":{\"a\":1}}", call("/v1/chat/completions"));
        assertEquals("200 {\"n\":2,\"got\":{\"a\":1}}", call("/v1/chat/completions"));
        assertEquals("200 {\"n\":3,\"got\":{\"a\":1}}", call("/v1/chat/completions?x=1"));
        assertEquals(1, server.connections.get());
        String first = server.requests.getFirst();
        assertTrue(first.startsWith("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + server.socket.getLocalPort() + "\r\n"), first);
        assertTrue(first.contains("\r\nContent-Length: 7\r\n"), first);
        assertTrue(server.requests.get(2).startsWith("POST /v1/chat/completions?x=1 HTTP/1.1\r\n"));
        assertEquals(1, http.idleConnections(server.url("/")));
    }

    @Test
    void a_content_length_body_is_read_whole_by_read_n_bytes_and_frees_the_connection() throws Exception {
        server = new Server((c, r, head, body, out) -> {
            write(out, ok("{\"n\":" + r + "}"));
            return true;
        });
        for (int i = 1; i <= 2; i++) {
            try (ModelHttp.Response r = http.send("GET", server.url("/"), Map.of(), null, 5_000)) {
                assertEquals("{\"n\":" + i + "}", new String(r.body().readNBytes(1 << 20), StandardCharsets.UTF_8));
            }
        }
        try (ModelHttp.Response r = http.send("GET", server.url("/"), Map.of(), null, 5_000)) {
            assertEquals("{\"n", new String(r.body().readNBytes(3), StandardCharsets.UTF_8), "a limit below the length");
        }
        assertEquals(1, server.connections.get());
    }

    @Test
    void chunked_answers_are_decoded_across_writes_with_extensions_and_trailers() throws Exception {
        server = new Server((c, r, head, body, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\n");
            write(out, "5;ext=1\r\nhel");
            write(out, "lo\r\n");
            write(out, "1A\r\n, world, in several chunks\r\n");
            write(out, "0\r\nX-Trailer: yes\r\n\r\n");
            return true;
        });
        for (int i = 0; i < 3; i++) {
            try (ModelHttp.Response r = http.send("GET", server.url("/"), Map.of(), null, 5_000)) {
                assertEquals(200, r.status());
                assertEquals("text/event-stream", r.header("content-type"));
                assertEquals("hello, world, in several chunks", new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(1, server.connections.get(), "a chunked answer read to its end leaves the connection reusable");
    }

    @Test
    void available_counts_body_bytes_only_and_sees_across_chunk_boundaries() throws Exception {
        CountDownLatch more = new CountDownLatch(1);
        server = new Server((c, r, head, body, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n");
            more.await(10, TimeUnit.SECONDS);
            write(out, "1\r\nf\r\n0\r\n\r\n");
            return true;
        });
        try (ModelHttp.Response r = http.send("GET", server.url("/"), Map.of(), null, 5_000)) {
            InputStream in = r.body();
            byte[] b = new byte[10];
            assertEquals(3, in.read(b));
            // the next chunk's header and data came with the first: readable without waiting
            assertTrue(in.available() > 0 || waitAvailable(in) > 0);
            assertEquals(2, in.read(b));
            assertEquals(0, in.available(), "only the framing of a chunk still to come");
            more.countDown();
            assertEquals(1, in.read(b));
            assertEquals('f', b[0]);
            assertEquals(-1, in.read(b));
        }
    }

    private static int waitAvailable(InputStream in) throws Exception {
        for (int i = 0; i < 200 && in.available() == 0; i++) {
            Thread.sleep(10);
        }
        return in.available();
    }

    @Test
    void connection_close_is_honoured() throws Exception {
        server = new Server((c, r, head, body, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
            return false;
        });
        assertEquals("200 ok", call("/"));
        assertEquals("200 ok", call("/"));
        assertEquals(2, server.connections.get());
        assertEquals(0, http.idleConnections(server.url("/")));
    }

    @Test
    void a_body_until_close_is_read_to_the_end_and_not_reused() throws Exception {
        server = new Server((c, r, head, body, out) -> {
            write(out, "HTTP/1.1 200 OK\r\n\r\nall of it");
            return false;
        });
        assertEquals("200 all of it", call("/"));
        assertEquals("200 all of it", call("/"));
        assertEquals(2, server.connections.get());
    }

    @Test
    void a_stale_kept_alive_connection_is_retried_once_on_a_new_one() throws Exception {
        server = new Server((c, r, head, body, out) -> {
            write(out, ok("c" + c)); // keep-alive promised, then the server drops the connection anyway
            return false;
        });
        assertEquals("200 c1", call("/"));
        // whether the client has seen the close yet or not, the reused connection fails before any answer
        assertEquals("200 c2", call("/"));
        assertEquals(2, server.requests.size(), "the request reached the server once per answer");
    }

    @Test
    void interim_answers_are_skipped() throws Exception {
        server = new Server((c, r, head, body, out) -> {
            write(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n" + ok("real"));
            return true;
        });
        assertEquals("200 real", call("/"));
    }

    @Test
    void a_silent_server_times_out_without_a_retry() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server = new Server((c, r, head, body, out) -> {
            release.await(10, TimeUnit.SECONDS);
            return false;
        });
        try {
            assertThrows(SocketTimeoutException.class,
                    () -> http.send("POST", server.url("/"), Map.of(), new byte[] {'x'}, 300));
            assertEquals(1, server.requests.size());
        } finally {
            release.countDown();
        }
    }

    @Test
    void a_stream_that_stalls_times_out_between_pieces() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server = new Server((c, r, head, body, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ndata\r\n");
            release.await(10, TimeUnit.SECONDS);
            return false;
        });
        try (ModelHttp.Response r = http.send("GET", server.url("/"), Map.of(), null, 300)) {
            byte[] b = new byte[16];
            assertEquals(4, r.body().read(b));
            assertThrows(SocketTimeoutException.class, () -> r.body().read(b));
        } finally {
            release.countDown();
        }
    }

    @Test
    void closing_before_the_end_closes_the_connection() throws Exception {
        // The answer's body never ends; the server then waits for a next request on the connection and sees it end.
        server = new Server((c, r, head, body, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ndata\r\n");
            return true;
        });
        ModelHttp.Response r = http.send("GET", server.url("/"), Map.of(), null, 5_000);
        assertEquals(4, r.body().read(new byte[16]));
        r.close();
        assertTrue(server.closedByClient.await(10, TimeUnit.SECONDS), "the server saw the connection end");
        assertEquals(0, http.idleConnections(server.url("/")));
    }

    @Test
    void a_connection_cut_in_the_middle_of_a_body_is_an_error() throws Exception {
        server = new Server((c, r, head, body, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
            return false;
        });
        try (ModelHttp.Response r = http.send("GET", server.url("/"), Map.of(), null, 5_000)) {
            assertThrows(EOFException.class, () -> r.body().readAllBytes());
        }
    }

    @Test
    void an_unreachable_server_is_a_connect_failure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThrows(ModelHttp.ConnectFailed.class, () -> http.send("GET", "http://127.0.0.1:" + port + "/", Map.of(), null, 1_000));
    }

    @Test
    void the_end_of_a_chunked_answer_is_seen_when_it_is_buffered() throws Exception {
        CountDownLatch end = new CountDownLatch(1);
        server = new Server((c, r, head, body, out) -> {
            if (r == 1) {
                write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            } else {
                write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
                end.await(10, TimeUnit.SECONDS);
                write(out, "0\r\n\r\n");
            }
            return true;
        });
        byte[] b = new byte[10];
        try (ModelHttp.Response r = http.send("GET", server.url("/"), Map.of(), null, 5_000)) {
            ModelHttp.Body in = (ModelHttp.Body) r.body();
            assertEquals(3, in.read(b));
            assertTrue(in.endBuffered(), "the last chunk came with the data");
            assertEquals(-1, in.read(b));
        }
        try (ModelHttp.Response r = http.send("GET", server.url("/"), Map.of(), null, 5_000)) {
            ModelHttp.Body in = (ModelHttp.Body) r.body();
            assertEquals(3, in.read(b));
            assertFalse(in.endBuffered(), "the last chunk is still to come");
            end.countDown();
            assertEquals(-1, in.read(b));
            assertTrue(in.endBuffered());
        }
    }

    @Test
    void no_content_answers_have_no_body() throws Exception {
        server = new Server((c, r, head, body, out) -> {
            write(out, "HTTP/1.1 204 No Content\r\n\r\n");
            return true;
        });
        try (ModelHttp.Response r = http.send("GET", server.url("/"), Map.of(), null, 5_000)) {
            assertEquals(204, r.status());
            assertArrayEquals(new byte[0], r.body().readAllBytes());
            assertNull(r.header("content-type"));
        }
    }

    @Test
    void targets_parse_ports_paths_queries_and_ipv6() {
        ModelHttp.Target t = ModelHttp.Target.of("https://api.example.com/v1/chat/completions?a=b");
        assertEquals("api.example.com", t.host());
        assertEquals(443, t.port());
        assertTrue(t.https());
        assertEquals("/v1/chat/completions?a=b", t.pathAndQuery());
        assertEquals("api.example.com", t.hostHeader());
        ModelHttp.Target v6 = ModelHttp.Target.of("http://[::1]:11434/api/chat");
        assertEquals("::1", v6.host());
        assertEquals("[::1]:11434", v6.hostHeader());
        assertEquals(80, ModelHttp.Target.of("http://h").port());
        assertEquals("/", ModelHttp.Target.of("http://h").pathAndQuery());
        assertThrows(IllegalArgumentException.class, () -> ModelHttp.Target.of("ftp://h/x"));
    }
}
