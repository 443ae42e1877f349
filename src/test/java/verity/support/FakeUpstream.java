package verity.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;
import verity.http.Json;

/**
 * An in-process model server on a random port that speaks enough of OpenAI's API ({@code GET /v1/models},
 * {@code POST /v1/chat/completions}, plain or SSE) and Ollama's ({@code GET /api/tags}, {@code POST /api/chat}
 * and {@code /api/generate}, JSON or NDJSON, {@code POST /api/pull}) for gateway tests.
 *
 * <p>Verity does not forward arbitrary headers, so behaviour is chosen by the request itself: the text of the last
 * user message (or the {@code prompt} of /api/generate) may hold space-separated directives:
 * <ul>
 *   <li>{@code fail:<status>}: an error answer with that status (OpenAI: {@code {"error": {...}}}; Ollama: {@code {"error": "..."}})</li>
 *   <li>{@code slow:<ms>:<n>}: the reply is n pieces {@code "t1 "…"tn "}; a stream sends each, then waits ms; a
 *       non-streamed answer waits n×ms before answering</li>
 *   <li>{@code nousage}: no usage (OpenAI) / no prompt_eval_count and eval_count (Ollama)</li>
 *   <li>{@code noid}: the OpenAI answer or chunks have no {@code id}</li>
 *   <li>{@code cut:<n>}: a stream breaks off (connection dropped, no terminator) 300 ms after its n-th piece</li>
 *   <li>{@code streamerror}: an Ollama stream sends one piece, then an {@code {"error"}} line</li>
 * </ul>
 * A model whose id contains {@code echo} replies with the JSON of the whole request body it received (so tests can
 * see system prompts, parameters and passed-through fields). Other models reply {@code "Hello from <model>."} in
 * three pieces. Usage, when given, is always {@link #PROMPT_TOKENS} and {@link #COMPLETION_TOKENS}.
 *
 * <p>Every request is recorded ({@link #requests()}); streams are counted as started, open, completed or
 * cancelled (a write failed because the reader went away).
 */
public final class FakeUpstream implements AutoCloseable {
    public static final int PROMPT_TOKENS = 17;
    public static final int COMPLETION_TOKENS = 5;
    public static final List<String> OPENAI_MODELS = List.of("gpt-fake", "echo");
    public static final List<String> OLLAMA_MODELS = List.of("llama-fake:latest", "ollama-echo:latest");

    /** One request as the fake saw it; headers are case-insensitive; body is MissingNode when absent or not JSON. */
    public record Received(String method, String path, Map<String, List<String>> headers, JsonNode body, byte[] raw) {
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> openAiModels;
    private final List<String> ollamaModels;
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger cancelled = new AtomicInteger();
    private volatile String requiredKey;

    private FakeUpstream(List<String> openAiModels, List<String> ollamaModels) {
        this.openAiModels = new CopyOnWriteArrayList<>(openAiModels);
        this.ollamaModels = new CopyOnWriteArrayList<>(ollamaModels);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A fake with the default models: OpenAI {@code gpt-fake, echo}; Ollama {@code llama-fake:latest, ollama-echo:latest}. */
    public static FakeUpstream start() {
        return new FakeUpstream(OPENAI_MODELS, OLLAMA_MODELS);
    }

    public static FakeUpstream start(List<String> openAiModels, List<String> ollamaModels) {
        return new FakeUpstream(openAiModels, ollamaModels);
    }

    /** The OpenAI side lists one more model from now on, as a server does when a model is deployed. */
    public void addOpenAiModel(String id) {
        openAiModels.add(id);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URL of the OpenAI-compatible API ({@code http://127.0.0.1:<port>/v1}). */
    public String openAiUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Base URL of the Ollama API ({@code http://127.0.0.1:<port>}). */
    public String ollamaUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** A URL on a local port that nothing listens on (connections are refused). */
    public static String closedUrl() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From now on OpenAI routes answer 401 unless {@code Authorization: Bearer <key>} is sent (null: no check). */
    public void requireApiKey(String key) {
        this.requiredKey = key;
    }

    public List<Received> requests() {
        return List.copyOf(received);
    }

    /** Requests to exactly this path, oldest first. */
    public List<Received> requests(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The latest request to this path. */
    public Received last(String path) {
        List<Received> list = requests(path);
        if (list.isEmpty()) {
            throw new AssertionError("the fake upstream received no request for " + path + "; it saw " + paths());
        }
        return list.getLast();
    }

    private List<String> paths() {
        return received.stream().map(r -> r.method() + " " + r.path()).toList();
    }

    public void clear() {
        received.clear();
    }

    public int streamsStarted() {
        return started.get();
    }

    public int streamsOpen() {
        return open.get();
    }

    public int streamsCompleted() {
        return completed.get();
    }

    /** Streams that ended because a write failed: the reader (Verity) closed the connection. */
    public int streamsCancelled() {
        return cancelled.get();
    }

    /** Polls until the condition holds or the time is up; returns whether it held. */
    public static boolean await(Duration max, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- dispatch

    /**
     * Answers one exchange. The exchange is closed only after a complete answer: when a handler throws (a write
     * failed, or a deliberate cut), the HTTP server drops the connection without ending the chunked body.
     */
    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        byte[] raw = ex.getRequestBody().readAllBytes();
        JsonNode body = MissingNode.getInstance();
        boolean malformed = false;
        if (raw.length > 0) {
            try {
                body = Json.read(new String(raw, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                malformed = true;
            }
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        received.add(new Received(method, path, Collections.unmodifiableMap(headers), body, raw));
        String route = method + " " + path;
        if (malformed) {
            json(ex, 400, "{\"error\":{\"message\":\"We could not parse the JSON body of your request.\",\"type\":\"invalid_request_error\"}}");
        } else if (path.startsWith("/v1/") && requiredKey != null
                && !("Bearer " + requiredKey).equals(headers.getOrDefault("Authorization", List.of("")).getFirst())) {
            json(ex, 401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        } else {
            switch (route) {
                case "GET /v1/models" -> openAiModels(ex);
                case "POST /v1/chat/completions" -> openAiChat(ex, body);
                case "GET /", "HEAD /" -> text(ex, 200, "Ollama is running");
                case "GET /api/version" -> json(ex, 200, "{\"version\":\"0.0.0-fake\"}");
                case "GET /api/tags" -> ollamaTags(ex);
                case "POST /api/chat" -> ollamaChat(ex, body, false);
                case "POST /api/generate" -> ollamaChat(ex, body, true);
                case "POST /api/pull" -> ollamaPull(ex, body);
                default -> json(ex, 404, "{\"error\":\"no route " + route + " on the fake upstream\"}");
            }
        }
        ex.close();
    }

    /** What the request asks the fake to do. */
    private record Plan(String model, int failStatus, long delayMs, List<String> pieces, boolean usage, boolean id,
                        int cutAfter, boolean streamError) {
        String content() {
            return String.join("", pieces);
        }
    }

    private static Plan plan(JsonNode body, boolean generate) {
        String model = body.path("model").asString("");
        String text = generate ? body.path("prompt").asString("") : lastUserText(body.path("messages"));
        int fail = 0;
        long delay = 0;
        int slowPieces = -1;
        boolean usage = true;
        boolean id = true;
        int cut = -1;
        boolean streamError = false;
        for (String token : text.trim().split("\\s+")) {
            String[] p = token.split(":");
            try {
                switch (p[0]) {
                    case "fail" -> fail = Integer.parseInt(p[1]);
                    case "slow" -> {
                        delay = Long.parseLong(p[1]);
                        slowPieces = Integer.parseInt(p[2]);
                    }
                    case "nousage" -> usage = false;
                    case "noid" -> id = false;
                    case "cut" -> cut = Integer.parseInt(p[1]);
                    case "streamerror" -> streamError = true;
                    default -> { }
                }
            } catch (RuntimeException notADirective) {
                // ordinary text
            }
        }
        List<String> pieces = new ArrayList<>();
        if (model.contains("echo")) {
            pieces.add(Json.write(body));
        } else if (slowPieces >= 0) {
            for (int i = 1; i <= slowPieces; i++) {
                pieces.add("t" + i + " ");
            }
        } else {
            pieces.addAll(List.of("Hello", " from ", model + "."));
        }
        return new Plan(model, fail, delay, pieces, usage, id, cut, streamError);
    }

    private static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if ("user".equals(m.path("role").asString(""))) {
                JsonNode c = m.path("content");
                if (c.isArray()) {
                    StringBuilder sb = new StringBuilder();
                    c.forEach(part -> sb.append(part.path("text").asString("")).append(' '));
                    return sb.toString();
                }
                return c.asString("");
            }
        }
        return "";
    }

    // ---------------------------------------------------------------- OpenAI

    private void openAiModels(HttpExchange ex) throws IOException {
        ObjectNode list = Json.object();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (String m : openAiModels) {
            data.addObject().put("id", m).put("object", "model").put("created", 1_700_000_000L).put("owned_by", "fake-org");
        }
        json(ex, 200, Json.write(list));
    }

    private void openAiChat(HttpExchange ex, JsonNode body) throws IOException {
        Plan plan = plan(body, false);
        if (!openAiModels.contains(plan.model())) {
            json(ex, 404, "{\"error\":{\"message\":\"The model `" + plan.model() + "` does not exist or you do not have access to it.\","
                    + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_found\"}}");
            return;
        }
        if (plan.failStatus() > 0) {
            json(ex, plan.failStatus(), "{\"error\":{\"message\":\"fake failure " + plan.failStatus()
                    + "\",\"type\":\"fake_error\",\"param\":null,\"code\":\"fake_" + plan.failStatus() + "\"}}");
            return;
        }
        String id = "chatcmpl-fake-" + ids.incrementAndGet();
        long created = Instant.now().getEpochSecond();
        if (!body.path("stream").asBoolean(false)) {
            sleep(plan.delayMs() * plan.pieces().size());
            ObjectNode answer = Json.object();
            if (plan.id()) {
                answer.put("id", id);
            }
            answer.put("object", "chat.completion").put("created", created).put("model", plan.model());
            ObjectNode choice = answer.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", plan.content());
            choice.put("finish_reason", "stop");
            if (plan.usage()) {
                answer.set("usage", usage());
            }
            answer.put("system_fingerprint", "fp_fake");
            json(ex, 200, Json.write(answer));
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        stream(ex.getResponseBody(), out -> {
            out.event(openAiChunk(plan, id, created, Json.object().put("role", "assistant").put("content", ""), null));
            int sent = 0;
            for (String piece : plan.pieces()) {
                if (sent == plan.cutAfter()) {
                    throw cut();
                }
                out.event(openAiChunk(plan, id, created, Json.object().put("content", piece), null));
                sent++;
                sleep(plan.delayMs());
            }
            if (sent == plan.cutAfter()) {
                throw cut();
            }
            out.event(openAiChunk(plan, id, created, Json.object(), "stop"));
            if (plan.usage()) {
                ObjectNode last = Json.object();
                if (plan.id()) {
                    last.put("id", id);
                }
                last.put("object", "chat.completion.chunk").put("created", created).put("model", plan.model());
                last.putArray("choices");
                last.set("usage", usage());
                out.event("data: " + Json.write(last) + "\n\n");
            }
            out.event("data: [DONE]\n\n");
        });
    }

    private static String openAiChunk(Plan plan, String id, long created, ObjectNode delta, String finish) {
        ObjectNode c = Json.object();
        if (plan.id()) {
            c.put("id", id);
        }
        c.put("object", "chat.completion.chunk").put("created", created).put("model", plan.model());
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return "data: " + Json.write(c) + "\n\n";
    }

    private static ObjectNode usage() {
        return Json.object().put("prompt_tokens", PROMPT_TOKENS).put("completion_tokens", COMPLETION_TOKENS)
                .put("total_tokens", PROMPT_TOKENS + COMPLETION_TOKENS);
    }

    // ---------------------------------------------------------------- Ollama

    private void ollamaTags(HttpExchange ex) throws IOException {
        ObjectNode tags = Json.object();
        ArrayNode models = tags.putArray("models");
        for (String m : ollamaModels) {
            ObjectNode o = models.addObject();
            o.put("name", m).put("model", m).put("modified_at", "2025-01-01T00:00:00Z").put("size", 4_661_224_676L)
                    .put("digest", "sha256:" + Integer.toHexString(m.hashCode()));
            o.putObject("details").put("format", "gguf").put("family", "llama").put("parameter_size", "8B")
                    .put("quantization_level", "Q4_0");
        }
        json(ex, 200, Json.write(tags));
    }

    /** /api/chat (message.content) or /api/generate (response); Ollama streams unless "stream": false. */
    private void ollamaChat(HttpExchange ex, JsonNode body, boolean generate) throws IOException {
        Plan plan = plan(body, generate);
        // Like Ollama, a name without a tag means ":latest".
        if (!ollamaModels.contains(plan.model().contains(":") ? plan.model() : plan.model() + ":latest")) {
            json(ex, 404, "{\"error\":\"model \\\"" + plan.model() + "\\\" not found, try pulling it first\"}");
            return;
        }
        if (plan.failStatus() > 0) {
            json(ex, plan.failStatus(), "{\"error\":\"fake failure " + plan.failStatus() + "\"}");
            return;
        }
        if (!body.path("stream").asBoolean(true)) {
            sleep(plan.delayMs() * plan.pieces().size());
            ObjectNode answer = ollamaPart(plan, generate, plan.content());
            finishOllama(answer, plan);
            if (generate) {
                answer.putArray("context").add(1).add(2).add(3);
            }
            json(ex, 200, Json.write(answer));
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        ex.sendResponseHeaders(200, 0);
        stream(ex.getResponseBody(), out -> {
            int sent = 0;
            for (String piece : plan.pieces()) {
                if (sent == plan.cutAfter()) {
                    throw cut();
                }
                out.event(Json.write(ollamaPart(plan, generate, piece).put("done", false)) + "\n");
                sent++;
                if (plan.streamError()) {
                    out.event("{\"error\":\"fake stream error\"}\n");
                    return;
                }
                sleep(plan.delayMs());
            }
            if (sent == plan.cutAfter()) {
                throw cut();
            }
            ObjectNode last = ollamaPart(plan, generate, "");
            finishOllama(last, plan);
            out.event(Json.write(last) + "\n");
        });
    }

    private static ObjectNode ollamaPart(Plan plan, boolean generate, String text) {
        ObjectNode o = Json.object();
        o.put("model", plan.model()).put("created_at", Instant.now().toString());
        if (generate) {
            o.put("response", text);
        } else {
            o.putObject("message").put("role", "assistant").put("content", text);
        }
        return o;
    }

    private static void finishOllama(ObjectNode o, Plan plan) {
        o.put("done", true).put("done_reason", "stop").put("total_duration", 1_234_567L).put("load_duration", 1_000L);
        if (plan.usage()) {
            o.put("prompt_eval_count", PROMPT_TOKENS).put("prompt_eval_duration", 1_000L)
                    .put("eval_count", COMPLETION_TOKENS).put("eval_duration", 2_000L);
        }
    }

    /** Progress lines like Ollama's; the pulled model is then listed by /api/tags. */
    private void ollamaPull(HttpExchange ex, JsonNode body) throws IOException {
        String name = body.path("model").asString(body.path("name").asString(""));
        if (name.isEmpty()) {
            json(ex, 400, "{\"error\":\"model is required\"}");
            return;
        }
        String tagged = name.contains(":") ? name : name + ":latest";
        if (!body.path("stream").asBoolean(true)) {
            ollamaModels.remove(tagged);
            ollamaModels.add(tagged);
            json(ex, 200, "{\"status\":\"success\"}");
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        ex.sendResponseHeaders(200, 0);
        stream(ex.getResponseBody(), out -> {
            out.event("{\"status\":\"pulling manifest\"}\n");
            for (int done = 0; done <= 1000; done += 500) {
                out.event("{\"status\":\"pulling abc123\",\"digest\":\"sha256:abc123\",\"total\":1000,\"completed\":" + done + "}\n");
                sleep(20);
            }
            out.event("{\"status\":\"verifying sha256 digest\"}\n");
            out.event("{\"status\":\"writing manifest\"}\n");
            ollamaModels.remove(tagged);
            ollamaModels.add(tagged);
            out.event("{\"status\":\"success\"}\n");
        });
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * The failure that makes the HTTP server drop the connection mid-body. It waits a moment first: the JDK client
     * reports a broken connection to its reader at once, dropping bytes the reader has not taken yet.
     */
    private static IOException cut() {
        sleep(300);
        return new IOException("cut by directive");
    }

    private interface Events {
        void event(String text) throws IOException;
    }

    private interface StreamBody {
        void write(Events out) throws IOException;
    }

    /** Writes a stream, flushing each event; a failed write counts as a cancelled stream. */
    private void stream(OutputStream body, StreamBody writer) throws IOException {
        started.incrementAndGet();
        open.incrementAndGet();
        try {
            writer.write(text -> {
                try {
                    body.write(text.getBytes(StandardCharsets.UTF_8));
                    body.flush();
                } catch (IOException e) {
                    cancelled.incrementAndGet();
                    throw e;
                }
            });
            completed.incrementAndGet();
        } finally {
            open.decrementAndGet();
        }
    }

    private static void json(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void text(HttpExchange ex, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
