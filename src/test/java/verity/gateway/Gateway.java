package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import verity.http.Json;
import verity.support.Api;
import verity.support.Db;
import verity.support.FakeUpstream;
import verity.support.TestServer;

/**
 * A gateway test fixture: a {@link FakeUpstream} serving both the OpenAI and the Ollama connection, a fresh Verity
 * server pointed at it (admin from WEBUI_ADMIN_EMAIL, no rate limit) and helpers for chat requests and SSE.
 */
public final class Gateway implements AutoCloseable {
    static final List<String> PATHS = List.of("/api/chat/completions", "/api/v1/chat/completions",
            "/api/openai/v1/chat/completions", "/openai/chat/completions");
    static final String OPENAI_CHAT = "/v1/chat/completions";
    static final String OLLAMA_CHAT = "/api/chat";
    static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[1-57][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    public final FakeUpstream fake;
    public final TestServer server;
    public Api api;

    private Gateway(FakeUpstream fake, TestServer server) {
        this.fake = fake;
        this.server = server;
        this.api = server.api;
    }

    public static Gateway start(Db db) {
        return start(db, Map.of());
    }

    /** Extra environment entries override the defaults; a null value removes a default. */
    public static Gateway start(Db db, Map<String, String> extra) {
        return start(db, FakeUpstream.start(), extra);
    }

    public static Gateway start(Db db, FakeUpstream fake, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "WEBUI_ADMIN_EMAIL", TestServer.ADMIN_EMAIL, "WEBUI_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD,
                "OPENAI_API_BASE_URL", fake.openAiUrl(), "OLLAMA_BASE_URL", fake.ollamaUrl(),
                "RATE_LIMIT_PER_MINUTE", "0"));
        env.putAll(extra);
        try {
            return new Gateway(fake, TestServer.fresh(db, env));
        } catch (RuntimeException | Error e) {
            fake.close();
            throw e;
        }
    }

    /** Restarts the server on the same data (a process restart; the port changes). */
    public void restart() {
        server.restart();
        api = server.api;
    }

    public String admin() {
        return server.admin().token();
    }

    public String user() {
        return server.newUser("user").token();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            fake.close();
        }
    }

    /** A chat request body: one user message, then key/value pairs. */
    public static Map<String, Object> chat(String model, String content, Object... more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("messages", new ArrayList<>(List.of(Map.of("role", "user", "content", content))));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    /** POSTs JSON with a bearer token and extra headers. */
    public Api.Res post(String path, String token, Object body, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return api.send("POST", path, h, Json.write(body));
    }

    /** The logged request, read as the given account (waits for the asynchronous writer). */
    public JsonNode logged(String id, String token) {
        return api.get("/api/v1/requests/" + id, token).expect(200).json();
    }

    /**
     * The logged request once it is there: a request whose client hung up is logged when the relay notices, which
     * can be after the client (or the model server) saw the connection end.
     */
    public JsonNode loggedEventually(String id, String token) {
        Api.Res[] last = new Api.Res[1];
        boolean found = FakeUpstream.await(Duration.ofSeconds(10), () -> {
            last[0] = api.get("/api/v1/requests/" + id, token);
            return last[0].status() == 200;
        });
        assertTrue(found, () -> "request " + id + " was not logged: " + last[0].body());
        return last[0].json();
    }

    /** One SSE "data:" payload and when it arrived (ms after the request was sent). */
    record Event(String data, long atMs) {
        JsonNode json() {
            return Json.read(data);
        }

        boolean done() {
            return data.equals("[DONE]");
        }
    }

    /** A streamed answer: status, headers, every line, the data events, and the time the body ended. */
    record Sse(int status, HttpHeaders headers, List<String> lines, List<Long> lineAtMs, List<Event> events, long totalMs) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** Data events that are JSON chunks (not [DONE]). */
        List<JsonNode> chunks() {
            return events.stream().filter(e -> !e.done()).map(Event::json).toList();
        }

        /** The concatenated delta contents. */
        String content() {
            StringBuilder sb = new StringBuilder();
            chunks().forEach(c -> sb.append(c.path("choices").path(0).path("delta").path("content").asString("")));
            return sb.toString();
        }

        Sse expectOk() {
            assertEquals(200, status, () -> "unexpected status, body: " + String.join("\n", lines));
            assertTrue(header("Content-Type").startsWith("text/event-stream"), header("Content-Type"));
            assertTrue(!events.isEmpty() && events.getLast().done(), () -> "stream does not end with [DONE]: " + lines);
            return this;
        }
    }

    /** POSTs and reads the answer line by line as it arrives, noting when each data event came. */
    Sse stream(String path, String token, Object body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        long start = System.nanoTime();
        try {
            HttpResponse<Stream<String>> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofLines());
            List<String> lines = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            List<Event> events = new ArrayList<>();
            try (Stream<String> s = r.body()) {
                s.forEach(line -> {
                    lines.add(line);
                    times.add((System.nanoTime() - start) / 1_000_000);
                    if (line.startsWith("data:")) {
                        events.add(new Event(line.substring(5).trim(), (System.nanoTime() - start) / 1_000_000));
                    }
                });
            }
            return new Sse(r.statusCode(), r.headers(), lines, times, events, (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Lines of an NDJSON body, parsed. */
    static List<JsonNode> ndjson(String body) {
        return body.lines().filter(l -> !l.isBlank()).map(Json::read).toList();
    }
}
