package verity.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import verity.gateway.Upstream;
import verity.http.Json;

/** Embeddings from an OpenAI-compatible or Ollama endpoint: requests, answers in any order, failures. */
class RemoteEmbedderTest {
    private HttpServer server;
    private final Upstream upstream = new Upstream(Duration.ofSeconds(5));
    private final AtomicReference<String> answer = new AtomicReference<>();
    private final AtomicReference<Integer> status = new AtomicReference<>(200);
    private final AtomicReference<JsonNode> received = new AtomicReference<>();
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private final AtomicReference<String> path = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            path.set(exchange.getRequestURI().getPath());
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            received.set(Json.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        upstream.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void openai_answers_are_put_in_input_order_and_normalised() {
        answer.set("{\"data\":[{\"index\":1,\"embedding\":[0,2]},{\"index\":0,\"embedding\":[3,4]}]}");
        RemoteEmbedder e = new RemoteEmbedder(RemoteEmbedder.Kind.OPENAI, base() + "/v1", "sk-test", "text-embedding-3-small", upstream);
        List<float[]> v = e.embed(List.of("first", "second"));
        assertArrayEquals(new float[] {0.6f, 0.8f}, v.get(0), 1e-6f);
        assertArrayEquals(new float[] {0f, 1f}, v.get(1), 1e-6f);
        assertEquals("/v1/embeddings", path.get());
        assertEquals("Bearer sk-test", authorization.get());
        assertEquals("text-embedding-3-small", received.get().get("model").asString());
        assertEquals(List.of("first", "second"), Json.MAPPER.convertValue(received.get().get("input"), List.class));
        assertEquals("openai-text-embedding-3-small", e.id());
    }

    @Test
    void ollama_answers_come_from_api_embed_without_a_key() {
        answer.set("{\"embeddings\":[[1,0],[0,1]]}");
        RemoteEmbedder e = new RemoteEmbedder(RemoteEmbedder.Kind.OLLAMA, base(), null, "nomic-embed-text", upstream);
        assertEquals(2, e.embed(List.of("a", "b")).size());
        assertEquals("/api/embed", path.get());
        assertEquals(null, authorization.get());
    }

    @Test
    void an_error_answer_a_short_answer_and_an_unreachable_endpoint_are_errors_that_say_so() {
        RemoteEmbedder e = new RemoteEmbedder(RemoteEmbedder.Kind.OPENAI, base() + "/v1", "k", "m", upstream);
        status.set(429);
        answer.set("{\"error\":\"slow down\"}");
        IllegalStateException rate = assertThrows(IllegalStateException.class, () -> e.embed(List.of("a")));
        assertTrue(rate.getMessage().contains("429") && rate.getMessage().contains("slow down"), rate.getMessage());

        status.set(200);
        answer.set("{\"data\":[{\"index\":0,\"embedding\":[1]}]}");
        IllegalStateException shortAnswer = assertThrows(IllegalStateException.class, () -> e.embed(List.of("a", "b")));
        assertTrue(shortAnswer.getMessage().contains("1 vectors for 2 texts"), shortAnswer.getMessage());

        server.stop(0);
        IllegalStateException gone = assertThrows(IllegalStateException.class, () -> e.embed(List.of("a")));
        assertTrue(gone.getMessage().contains("unreachable"), gone.getMessage());
    }
}
