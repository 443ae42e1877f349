package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import verity.support.TestTls;

/**
 * The model-server client over https, against a local TLS server whose self-signed certificate (for 127.0.0.1
 * only) is made by the JDK's keytool for this test ({@link TestTls}): the handshake, host-name verification and trust.
 */
class ModelHttpTlsTest {
    private static SSLContext serverContext;
    private static SSLContext clientTrustingIt;

    @TempDir
    static Path dir;

    private ModelHttpTest.Server server;
    private ModelHttp http;

    @BeforeAll
    static void certificate() throws Exception {
        TestTls tls = TestTls.create(dir, "IP:127.0.0.1");
        serverContext = tls.server();
        clientTrustingIt = tls.client();
    }

    @AfterEach
    void close() throws IOException {
        if (http != null) {
            http.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start() throws IOException {
        server = new ModelHttpTest.Server((c, r, head, body, out) -> {
            ModelHttpTest.write(out, ModelHttpTest.ok("{\"n\":" + r + ",\"got\":" + body + "}"));
            return true;
        }, serverContext.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    private String post(String url) throws IOException {
        try (ModelHttp.Response r = http.send("POST", url, Map.of("Content-Type", "application/json"),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 5_000)) {
            return r.status() + " " + new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void https_answers_come_through_one_kept_alive_tls_connection() throws Exception {
        start();
        http = new ModelHttp(2_000, clientTrustingIt.getSocketFactory());
        assertEquals("200 {\"n\":1,\"got\":{\"a\":1}}", post(server.url("/v1/chat/completions")));
        assertEquals("200 {\"n\":2,\"got\":{\"a\":1}}", post(server.url("/v1/chat/completions")));
        assertEquals(1, server.connections.get());
        assertTrue(server.requests.getFirst().startsWith("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:"));
    }

    @Test
    void a_certificate_for_another_host_name_is_refused() throws Exception {
        start();
        http = new ModelHttp(2_000, clientTrustingIt.getSocketFactory());
        String otherName = "https://localhost:" + server.socket.getLocalPort() + "/v1/chat/completions";
        ModelHttp.ConnectFailed e = assertThrows(ModelHttp.ConnectFailed.class, () -> post(otherName));
        assertTrue(e.getCause() instanceof SSLHandshakeException, String.valueOf(e.getCause()));
    }

    @Test
    void a_certificate_the_trust_store_does_not_know_is_refused() throws Exception {
        start();
        http = new ModelHttp(2_000);
        ModelHttp.ConnectFailed e = assertThrows(ModelHttp.ConnectFailed.class, () -> post(server.url("/v1/chat/completions")));
        assertTrue(e.getCause() instanceof SSLHandshakeException, String.valueOf(e.getCause()));
    }
}
