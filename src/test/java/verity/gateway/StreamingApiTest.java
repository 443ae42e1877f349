package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.gateway.Gateway.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.http.Json;
import verity.support.Db;
import verity.support.FakeUpstream;

@ParameterizedClass
@EnumSource(Db.class)
class StreamingApiTest {
    @Parameter
    Db db;

    Gateway gw;
    String user;

    @BeforeEach
    void setUp() {
        gw = Gateway.start(db);
        user = gw.user();
    }

    @AfterEach
    void tearDown() {
        gw.close();
    }

    static Gateway.Event firstWith(Gateway.Sse s, String content) {
        return s.events().stream().filter(e -> e.data().contains(content)).findFirst()
                .orElseThrow(() -> new AssertionError("no event with " + content + " in " + s.lines()));
    }

    void assertRelayedAsTheyArrive(String model) {
        // The model server sends t1, t2, t3 with 400 ms after each: the first piece must not wait for the last.
        Gateway.Sse s = gw.stream("/api/chat/completions", user, chat(model, "slow:400:3", "stream", true)).expectOk();
        assertEquals("t1 t2 t3 ", s.content());
        Gateway.Event t1 = firstWith(s, "t1 ");
        Gateway.Event t3 = firstWith(s, "t3 ");
        assertTrue(t1.atMs() < s.totalMs() / 2, "first piece after " + t1.atMs() + " ms of " + s.totalMs() + " ms");
        assertTrue(t3.atMs() - t1.atMs() >= 500, "pieces sent 800 ms apart arrived " + (t3.atMs() - t1.atMs()) + " ms apart");
    }

    @Test
    void openai_chunks_are_relayed_as_they_arrive() {
        assertRelayedAsTheyArrive("gpt-fake");
    }

    @Test
    void ollama_chunks_are_relayed_as_they_arrive() {
        assertRelayedAsTheyArrive("llama-fake:latest");
    }

    /** Starts a stream on a raw socket, reads until the first piece arrives, then hangs up. */
    void hangUpAfterFirstPiece(String model, String requestId) throws IOException {
        URI base = URI.create(gw.api.base);
        byte[] body = Json.write(chat(model, "slow:200:150", "stream", true)).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/chat/completions HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\n"
                    + "Authorization: Bearer " + user + "\r\nContent-Type: application/json\r\n"
                    + "Helicone-Request-Id: " + requestId + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            assertTrue(status.contains(" 200 "), status);
            for (String line = in.readLine(); ; line = in.readLine()) {
                assertTrue(line != null, "the stream ended before its first piece");
                if (line.startsWith("data:") && line.contains("t1 ")) {
                    break;
                }
            }
        }
    }

    void assertHangUpCancelsUpstream(String model) throws IOException {
        String id = UUID.randomUUID().toString();
        hangUpAfterFirstPiece(model, id);
        assertTrue(FakeUpstream.await(Duration.ofSeconds(10), () -> gw.fake.streamsCancelled() == 1),
                "the model server's stream was not cancelled: started " + gw.fake.streamsStarted() + ", open "
                        + gw.fake.streamsOpen() + ", completed " + gw.fake.streamsCompleted());
        assertTrue(FakeUpstream.await(Duration.ofSeconds(5), () -> gw.fake.streamsOpen() == 0));
        assertEquals(0, gw.fake.streamsCompleted(), "the 30 s stream was not read to its end");
        JsonNode logged = gw.loggedEventually(id, user);
        assertEquals(499, logged.get("status").asInt(), logged.toString());
        assertEquals("client disconnected", logged.get("error").asString());
        assertTrue(logged.at("/response_body/choices/0/message/content").asString().startsWith("t1 "),
                "what was relayed before the hang-up is logged: " + logged.get("response_body"));
        assertTrue(logged.get("latency_ms").asLong() < 20_000);
    }

    @Test
    void a_client_hanging_up_cancels_the_openai_stream() throws IOException {
        assertHangUpCancelsUpstream("gpt-fake");
    }

    @Test
    void a_client_hanging_up_cancels_the_ollama_stream() throws IOException {
        assertHangUpCancelsUpstream("llama-fake:latest");
    }

    @Test
    void the_server_keeps_serving_after_a_client_hung_up() throws IOException {
        hangUpAfterFirstPiece("gpt-fake", UUID.randomUUID().toString());
        Gateway.Sse s = gw.stream("/api/chat/completions", user, chat("gpt-fake", "hi", "stream", true)).expectOk();
        assertEquals("Hello from gpt-fake.", s.content());
    }

    void assertBrokenStreamIsVisible(String model) {
        String id = UUID.randomUUID().toString();
        Gateway.Sse s = gw.stream("/api/chat/completions", user, chat(model, "cut:1", "stream", true),
                "Helicone-Request-Id", id);
        assertEquals(200, s.status(), "the stream had started");
        assertEquals("Hello", s.content(), "what came before the break is relayed");
        assertFalse(s.events().getLast().done(), "a broken stream must not look complete: " + s.lines());
        assertTrue(s.events().getLast().json().has("error"), "the client is told the stream broke: " + s.lines());
        JsonNode logged = gw.logged(id, user);
        assertEquals(502, logged.get("status").asInt(), logged.toString());
        assertTrue(logged.get("error").asString().contains("broke"), logged.get("error").asString());
    }

    @Test
    void an_openai_stream_that_breaks_off_is_reported_and_logged_as_502() {
        assertBrokenStreamIsVisible("gpt-fake");
    }

    @Test
    void an_ollama_stream_that_breaks_off_is_reported_and_logged_as_502() {
        assertBrokenStreamIsVisible("llama-fake:latest");
    }

    @Test
    void an_ollama_error_line_mid_stream_becomes_an_error_event() {
        String id = UUID.randomUUID().toString();
        Gateway.Sse s = gw.stream("/api/chat/completions", user, chat("llama-fake:latest", "streamerror", "stream", true),
                "Helicone-Request-Id", id);
        assertEquals(200, s.status());
        List<JsonNode> chunks = s.chunks();
        assertEquals("Hello", chunks.getFirst().at("/choices/0/delta/content").asString());
        assertEquals("fake stream error", chunks.getLast().at("/error/message").asString(), s.lines().toString());
        assertFalse(s.events().getLast().done());
        JsonNode logged = gw.logged(id, user);
        assertEquals(502, logged.get("status").asInt());
        assertEquals("fake stream error", logged.get("error").asString());
    }

    @Test
    void streams_carry_the_request_id_and_no_caching_headers() {
        Gateway.Sse s = gw.stream("/api/v1/chat/completions", user, chat("gpt-fake", "hi", "stream", true)).expectOk();
        assertTrue(s.header("X-Request-Id").matches(Gateway.UUID_PATTERN), s.header("X-Request-Id"));
        assertEquals(s.header("X-Request-Id"), s.header("Helicone-Id"));
        assertEquals("no-cache", s.header("Cache-Control"));
        assertTrue(s.lines().stream().allMatch(l -> l.isEmpty() || l.startsWith("data: ")), s.lines().toString());
    }
}
