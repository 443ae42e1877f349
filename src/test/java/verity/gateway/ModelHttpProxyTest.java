package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import verity.config.Proxies;
import verity.support.Db;
import verity.support.FakeUpstream;
import verity.support.TestTls;

/**
 * The model-server client through an HTTP proxy: absolute-form requests for http URLs, CONNECT tunnels for
 * https (TLS end to end through the tunnel), Proxy-Authorization, a refused tunnel, and NO_PROXY hosts.
 */
class ModelHttpProxyTest {
    /**
     * A forward proxy that resolves every host name to this machine: the first request head of each connection is
     * recorded, then bytes are relayed both ways.
     */
    static final class ForwardProxy implements AutoCloseable {
        final ServerSocket socket;
        final List<String> heads = new CopyOnWriteArrayList<>();
        volatile String refuse; // a status line to answer CONNECT with instead of opening the tunnel

        ForwardProxy() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket client = socket.accept();
                        Thread.ofVirtual().start(() -> serve(client));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        Proxies.Proxy proxy(String authorization) {
            return new Proxies.Proxy("127.0.0.1", socket.getLocalPort(), authorization);
        }

        private void serve(Socket client) {
            try (client) {
                InputStream in = client.getInputStream();
                OutputStream out = client.getOutputStream();
                String head = ModelHttpTest.Server.readHead(in);
                if (head == null) {
                    return;
                }
                heads.add(head);
                String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
                boolean connect = requestLine[0].equals("CONNECT");
                if (connect && refuse != null) {
                    ModelHttpTest.write(out, refuse + "\r\nContent-Length: 0\r\n\r\n");
                    return;
                }
                URI target = URI.create(connect ? "tcp://" + requestLine[1] : requestLine[1]);
                try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target.getPort())) { // every name is this machine
                    if (connect) {
                        ModelHttpTest.write(out, "HTTP/1.1 200 Connection established\r\n\r\n");
                    } else {
                        upstream.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                    }
                    Thread back = Thread.ofVirtual().start(() -> pump(upstream, client));
                    pump(client, upstream);
                    back.join();
                }
            } catch (Exception ignored) {
                // a connection of the test ended
            }
        }

        private static void pump(Socket from, Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
                to.shutdownOutput();
            } catch (IOException ignored) {
                // either side closed
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @TempDir
    static Path dir;
    private static TestTls tls;

    private ModelHttpTest.Server server;
    private ForwardProxy proxy;

    @BeforeAll
    static void certificate() throws Exception {
        tls = TestTls.create(dir, "DNS:model.test");
    }
    private ModelHttp http;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {http, server, proxy}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private void start(ServerSocket serverSocket) throws IOException {
        server = new ModelHttpTest.Server((c, r, head, body, out) -> {
            ModelHttpTest.write(out, ModelHttpTest.ok("{\"n\":" + r + ",\"got\":" + body + "}"));
            return true;
        }, serverSocket);
        proxy = new ForwardProxy();
    }

    private String post(String url) throws IOException {
        try (ModelHttp.Response r = http.send("POST", url, Map.of("Content-Type", "application/json"),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 5_000)) {
            return r.status() + " " + new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Proxies through(Proxies.Proxy p) {
        return new Proxies(Optional.of(p), Optional.of(p), List.of());
    }

    /** A URL on the test server under a name that is not loopback, so the proxy is used; the proxy resolves it. */
    private String url(String path) {
        return server.url(path).replace("127.0.0.1", "model.test");
    }

    @Test
    void http_urls_go_through_the_proxy_in_absolute_form_with_its_credentials() throws Exception {
        start(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        http = new ModelHttp(2_000, null, through(proxy.proxy("Basic YWRhOnNlY3JldA==")));
        String url = url("/v1/chat/completions");
        assertEquals("200 {\"n\":1,\"got\":{\"a\":1}}", post(url));
        assertEquals("200 {\"n\":2,\"got\":{\"a\":1}}", post(url), "the proxied connection is kept alive");
        assertEquals(1, proxy.heads.size());
        String head = proxy.heads.getFirst();
        assertTrue(head.startsWith("POST " + url + " HTTP/1.1\r\n"), head);
        assertTrue(head.contains("\r\nHost: model.test:" + server.socket.getLocalPort() + "\r\n"), head);
        assertTrue(head.contains("\r\nProxy-Authorization: Basic YWRhOnNlY3JldA==\r\n"), head);
    }

    @Test
    void https_urls_are_tunnelled_with_connect_and_tls_runs_end_to_end() throws Exception {
        start(tls.server().getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        http = new ModelHttp(2_000, tls.client().getSocketFactory(), through(proxy.proxy("Basic eA==")));
        assertEquals("200 {\"n\":1,\"got\":{\"a\":1}}", post(url("/v1/chat/completions")), "the certificate for model.test verified");
        String head = proxy.heads.getFirst();
        assertTrue(head.startsWith("CONNECT model.test:" + server.socket.getLocalPort() + " HTTP/1.1\r\n"), head);
        assertTrue(head.contains("\r\nProxy-Authorization: Basic eA==\r\n"), head);
        assertTrue(server.requests.getFirst().startsWith("POST /v1/chat/completions HTTP/1.1\r\n"),
                "inside the tunnel the request is in origin form, and the proxy never saw it");
    }

    @Test
    void a_refused_tunnel_is_a_connect_failure_naming_the_proxy() throws Exception {
        start(tls.server().getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        proxy.refuse = "HTTP/1.1 407 Proxy Authentication Required";
        http = new ModelHttp(2_000, tls.client().getSocketFactory(), through(proxy.proxy(null)));
        ModelHttp.ConnectFailed e = assertThrows(ModelHttp.ConnectFailed.class, () -> post(url("/v1/chat/completions")));
        assertTrue(e.getMessage().contains("407") && e.getMessage().contains("127.0.0.1:" + proxy.socket.getLocalPort()), e.getMessage());
        assertEquals(0, server.connections.get());
    }

    @Test
    void loopback_model_servers_are_reached_directly() throws Exception {
        start(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        http = new ModelHttp(2_000, null, through(proxy.proxy(null)));
        assertEquals("200 {\"n\":1,\"got\":{\"a\":1}}", post(server.url("/v1/chat/completions")));
        assertTrue(proxy.heads.isEmpty());
    }

    @Test
    void the_server_sends_completions_and_model_lists_through_http_proxy_from_its_environment() throws Exception {
        proxy = new ForwardProxy();
        FakeUpstream fake = FakeUpstream.start();
        String named = fake.openAiUrl().replace("127.0.0.1", "model.test");
        try (Gateway gw = Gateway.start(Db.SQLITE, fake, Map.of("OPENAI_API_BASE_URL", named, "ENABLE_OLLAMA_API", "false",
                "HTTP_PROXY", "http://ada:secret@127.0.0.1:" + proxy.socket.getLocalPort()))) {
            String user = gw.user();
            gw.post("/api/chat/completions", user, Gateway.chat("gpt-fake", "hi")).expect(200);
            String first = proxy.heads.getFirst(); // the model list; later requests reuse the kept-alive connection
            assertTrue(first.startsWith("GET " + named + "/models HTTP/1.1\r\n"), first);
            assertTrue(first.contains("\r\nProxy-Authorization: Basic YWRhOnNlY3JldA==\r\n"), first);
            // model.test resolves nowhere but in the proxy: the completion reached the model server through it
            assertEquals(1, fake.requests(Gateway.OPENAI_CHAT).size());
        }
    }
}
