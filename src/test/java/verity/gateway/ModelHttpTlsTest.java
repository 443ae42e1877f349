package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-server client over https, against a local TLS server whose self-signed certificate (for 127.0.0.1
 * only) is made by the JDK's keytool for this test: the handshake, host-name verification and trust.
 */
class ModelHttpTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static SSLContext serverContext;
    private static SSLContext clientTrustingIt;

    @TempDir
    static Path dir;

    private ModelHttpTest.Server server;
    private ModelHttp http;

    @BeforeAll
    static void certificate() throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=model-server-test", "-ext", "SAN=IP:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, output);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        clientTrustingIt = SSLContext.getInstance("TLS");
        clientTrustingIt.init(null, tmf.getTrustManagers(), null);
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
