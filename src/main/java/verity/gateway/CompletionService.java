package verity.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import verity.http.ApiException;
import verity.http.Json;
import verity.requestlog.RequestLogWriter;
import verity.requestlog.RequestRecord;

/**
 * Relays an OpenAI-style chat completion to the model's server (OpenAI-compatible or Ollama, translated),
 * streaming or not, and records it in the request log after the client has its answer.
 */
public final class CompletionService {
    private final ModelCatalog catalog;
    private final Upstream upstream;
    private final RequestLogWriter log;
    private final Clock clock;

    public CompletionService(ModelCatalog catalog, Upstream upstream, RequestLogWriter log, Clock clock) {
        this.catalog = catalog;
        this.upstream = upstream;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Who asked, what, and the request-log fields that come from headers. {@code requestBytes} is the body as the
     * client sent it when {@code request} is that body parsed (it is then logged, and forwarded when shaping changes
     * nothing, as it is), or null when {@code request} was changed since (logged written anew).
     */
    public record Call(String userId, ObjectNode request, byte[] requestBytes, String path, String logId,
                       Map<String, String> properties, String heliconeUserId, Map<String, Object> extras) {}

    /** What happened, filled in as the relay goes; becomes the request-log record. */
    private static final class Outcome {
        int status = 200;
        String error;
        String connection;
        String selectedModel;
        String response;
        Long ttftMs;
        Integer promptTokens;
        Integer completionTokens;
    }

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    void complete(Exchange ex, Call call) {
        long started = System.nanoTime();
        long startedMs = clock.millis();
        Outcome o = new Outcome();
        log.reserve(call.logId());
        try {
            ModelCatalog.Model model = resolve(call.request().path("model").asString(""), o);
            ObjectNode body = RequestShaping.forUpstream(call.request(), model);
            o.connection = model.connection().label();
            boolean stream = body.path("stream").asBoolean(false);
            if (model.connection().kind() == Connection.Kind.OPENAI) {
                if (stream) {
                    openAiStream(ex, model, body, call, o, started);
                } else {
                    openAiOnce(ex, model, body, call, o);
                }
            } else if (stream) {
                ollamaStream(ex, model, body, call, o, started);
            } else {
                ollamaOnce(ex, model, body, call, o);
            }
        } catch (ApiException e) {
            o.status = e.status();
            o.error = String.valueOf(e.detail());
            throw e;
        } finally {
            long latency = (System.nanoTime() - started) / 1_000_000;
            log.submit(new RequestRecord(call.logId(), call.userId(), call.request().path("model").asString(""),
                    o.selectedModel, o.connection, call.path(), call.request().path("stream").asBoolean(false),
                    call.requestBytes() != null ? new String(call.requestBytes(), StandardCharsets.UTF_8) : Json.write(call.request()), o.response, o.status, o.error, latency, o.ttftMs, o.promptTokens,
                    o.completionTokens, call.properties(), call.heliconeUserId(), startedMs));
        }
    }

    private ModelCatalog.Model resolve(String id, Outcome o) {
        ModelCatalog.Model model = catalog.find(id).orElseThrow(() -> ApiException.notFound("Model not found: " + id));
        if (model.isArena()) {
            model = pickArena(model);
            o.selectedModel = model.id();
        }
        if (model.connection() == null) {
            // a custom model whose base model no connected server lists (Open WebUI answers 404 here too)
            throw ApiException.notFound("Model not found: " + model.upstreamId() + ", the base model of " + model.id()
                    + ", is not served by any reachable model server");
        }
        return model;
    }

    /** A uniformly random real model among the arena's include list, or all others but its exclude list. */
    private ModelCatalog.Model pickArena(ModelCatalog.Model arena) {
        JsonNode meta = arena.arena().path("meta");
        List<String> listed = new ArrayList<>();
        meta.path("model_ids").forEach(n -> listed.add(n.asString("")));
        boolean exclude = "exclude".equals(meta.path("filter_mode").asString(""));
        List<ModelCatalog.Model> candidates = catalog.models().stream()
                .filter(m -> !m.isArena() && m.connection() != null)
                .filter(m -> listed.isEmpty() || exclude != listed.contains(m.id()))
                .toList();
        if (candidates.isEmpty()) {
            throw new UpstreamException(502, "Arena model " + arena.id() + " has no model to choose from");
        }
        return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
    }

    private void openAiOnce(Exchange ex, ModelCatalog.Model model, ObjectNode body, Call call, Outcome o) {
        byte[] raw;
        try (Upstream.Response r = upstream.post(model.connection().baseUrl() + "/chat/completions",
                model.connection().apiKey(), openAiBody(call, body), Map.of())) {
            raw = readAll(r);
            checkStatus(r.statusCode(), raw);
        }
        if (o.selectedModel == null && call.extras().isEmpty() && relayAsIs(raw, o)) {
            o.response = new String(raw, StandardCharsets.UTF_8);
            json(ex, raw);
            return;
        }
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(raw);
        } catch (RuntimeException e) {
            throw new UpstreamException(502, "Model server sent a response that is not JSON");
        }
        if (!(parsed instanceof ObjectNode answer)) {
            throw new UpstreamException(502, "Model server sent a response that is not a JSON object");
        }
        if (!answer.hasNonNull("id")) {
            answer.put("id", call.logId());
        }
        if (o.selectedModel != null) {
            answer.put("selected_model_id", o.selectedModel);
        }
        call.extras().forEach(answer::putPOJO);
        JsonNode usage = answer.path("usage");
        o.promptTokens = usage.has("prompt_tokens") ? usage.get("prompt_tokens").asInt() : TokenCounter.prompt(body.path("messages"));
        o.completionTokens = usage.has("completion_tokens") ? usage.get("completion_tokens").asInt()
                : TokenCounter.count(answer.path("choices").path(0).path("message").path("content").asString(""));
        o.response = Json.write(answer);
        json(ex, o.response.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The OpenAI request for the model server: the client's own bytes when shaping changed nothing (a long
     * conversation is then not written out again), else the shaped request.
     */
    private static byte[] openAiBody(Call call, ObjectNode shaped) {
        return shaped == call.request() && call.requestBytes() != null ? call.requestBytes() : Json.MAPPER.writeValueAsBytes(shaped);
    }

    /**
     * Whether the answer can go to the client byte for byte: a JSON object with an {@code id} and integer
     * {@code usage.prompt_tokens} and {@code usage.completion_tokens} (which it records). Read with the streaming
     * parser, without building a tree; anything else takes the general path, which parses, patches and rewrites.
     */
    static boolean relayAsIs(byte[] raw, Outcome o) {
        boolean id = false;
        Integer prompt = null;
        Integer completion = null;
        try (JsonParser p = Json.MAPPER.createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("id")) {
                    id = v != JsonToken.VALUE_NULL;
                    p.skipChildren();
                } else if (name.equals("usage") && v == JsonToken.START_OBJECT) {
                    for (JsonToken u = p.nextToken(); u == JsonToken.PROPERTY_NAME; u = p.nextToken()) {
                        String field = p.currentName();
                        JsonToken n = p.nextToken();
                        if (n == JsonToken.VALUE_NUMBER_INT && field.equals("prompt_tokens")) {
                            prompt = p.getIntValue();
                        } else if (n == JsonToken.VALUE_NUMBER_INT && field.equals("completion_tokens")) {
                            completion = p.getIntValue();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return false;
            }
        } catch (RuntimeException notPlainJson) {
            return false;
        }
        if (!id || prompt == null || completion == null) {
            return false;
        }
        o.promptTokens = prompt;
        o.completionTokens = completion;
        return true;
    }

    private void openAiStream(Exchange ex, ModelCatalog.Model model, ObjectNode body, Call call, Outcome o, long started) {
        StreamText assembled = new StreamText();
        try (Upstream.Response r = upstream.post(model.connection().baseUrl() + "/chat/completions",
                model.connection().apiKey(), openAiBody(call, body), Map.of("Accept", "text/event-stream"))) {
            if (r.statusCode() >= 400) {
                checkStatus(r.statusCode(), readAll(r));
            }
            Relay relay = null;
            try {
                relay = new Relay(ex);
                Map<String, Object> firstKeys = firstChunkKeys(o.selectedModel, call.extras());
                UpstreamLines lines = new UpstreamLines(r.body(), relay::flush);
                while (lines.next()) {
                    boolean data = lines.startsWith(DATA);
                    if (o.ttftMs == null && data) {
                        o.ttftMs = (System.nanoTime() - started) / 1_000_000;
                    }
                    if (data && firstKeys != null) {
                        ObjectNode chunk = withKeys(lines.buffer(), lines.lineStart() + DATA.length, lines.lineLength() - DATA.length, firstKeys);
                        if (chunk == null) {
                            relay.queue("data: " + Json.write(emptyChunk(firstKeys)));
                        }
                        firstKeys = null;
                        if (chunk != null) {
                            byte[] line = ("data: " + Json.write(chunk)).getBytes(StandardCharsets.UTF_8);
                            relay.line(line, 0, line.length);
                            assembled.accept(lines.buffer(), lines.lineStart() + DATA.length, lines.lineLength() - DATA.length);
                            continue;
                        }
                    }
                    relay.line(lines.buffer(), lines.lineStart(), lines.lineLength());
                    if (data) {
                        assembled.accept(lines.buffer(), lines.lineStart() + DATA.length, lines.lineLength() - DATA.length);
                    }
                }
                relay.finish();
            } catch (Relay.ClientGone gone) {
                o.status = 499;
                o.error = "client disconnected";
            } catch (IOException e) {
                streamBroke(o, e, relay);
            }
        }
        finishStream(o, assembled, body, call.logId(), model);
    }

    private void ollamaOnce(Exchange ex, ModelCatalog.Model model, ObjectNode body, Call call, Outcome o) {
        byte[] raw;
        try (Upstream.Response r = upstream.post(model.connection().baseUrl() + "/api/chat", null,
                Json.MAPPER.writeValueAsBytes(OllamaFormat.request(body, false)), Map.of())) {
            raw = readAll(r);
            checkStatus(r.statusCode(), raw);
        }
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(raw);
        } catch (RuntimeException e) {
            throw new UpstreamException(502, "Model server sent a response that is not JSON");
        }
        String content = answer.path("message").path("content").asString("");
        o.promptTokens = OllamaFormat.intOrNull(answer.get("prompt_eval_count"));
        o.completionTokens = OllamaFormat.intOrNull(answer.get("eval_count"));
        if (o.promptTokens == null) {
            o.promptTokens = TokenCounter.prompt(body.path("messages"));
        }
        if (o.completionTokens == null) {
            o.completionTokens = TokenCounter.count(content);
        }
        ObjectNode completion = OllamaFormat.completion(call.logId(), model.id(), clock.instant().getEpochSecond(), content,
                answer.path("done_reason").asString("stop"), o.promptTokens, o.completionTokens);
        if (o.selectedModel != null) {
            completion.put("selected_model_id", o.selectedModel);
        }
        call.extras().forEach(completion::putPOJO);
        o.response = Json.write(completion);
        json(ex, o.response.getBytes(StandardCharsets.UTF_8));
    }

    private void ollamaStream(Exchange ex, ModelCatalog.Model model, ObjectNode body, Call call, Outcome o, long started) {
        long created = clock.instant().getEpochSecond();
        String id = call.logId();
        StringBuilder content = new StringBuilder();
        String finishReason = null;
        try (Upstream.Response r = upstream.post(model.connection().baseUrl() + "/api/chat", null,
                Json.MAPPER.writeValueAsBytes(OllamaFormat.request(body, true)), Map.of())) {
            if (r.statusCode() >= 400) {
                checkStatus(r.statusCode(), readAll(r));
            }
            Relay relay = null;
            try {
                relay = new Relay(ex);
                Map<String, Object> firstKeys = firstChunkKeys(o.selectedModel, call.extras());
                UpstreamLines lines = new UpstreamLines(r.body(), relay::flush);
                boolean first = true;
                while (lines.next()) {
                    if (lines.isBlank()) {
                        continue;
                    }
                    JsonNode part = Json.MAPPER.readTree(lines.buffer(), lines.lineStart(), lines.lineLength());
                    if (part.has("error")) {
                        o.status = 502;
                        o.error = part.path("error").asString("model server error");
                        relay.event("data: " + Json.write(Map.of("error", Map.of("message", o.error))));
                        break;
                    }
                    String piece = part.path("message").path("content").asString("");
                    ObjectNode delta = Json.object();
                    if (first) {
                        delta.put("role", "assistant");
                        o.ttftMs = (System.nanoTime() - started) / 1_000_000;
                    }
                    first = false;
                    if (!piece.isEmpty() || !part.path("done").asBoolean(false)) {
                        delta.put("content", piece);
                        content.append(piece);
                        ObjectNode chunk = OllamaFormat.chunk(id, model.id(), created, delta, null);
                        if (firstKeys != null) {
                            firstKeys.forEach(chunk::putPOJO);
                            firstKeys = null;
                        }
                        relay.queue("data: " + Json.write(chunk));
                    }
                    if (part.path("done").asBoolean(false)) {
                        o.promptTokens = OllamaFormat.intOrNull(part.get("prompt_eval_count"));
                        o.completionTokens = OllamaFormat.intOrNull(part.get("eval_count"));
                        finishReason = part.path("done_reason").asString("stop");
                        ObjectNode last = OllamaFormat.chunk(id, model.id(), created, Json.object(), finishReason);
                        last.set("usage", OllamaFormat.usage(o.promptTokens, o.completionTokens));
                        relay.queue("data: " + Json.write(last));
                        relay.queue("data: [DONE]");
                        break;
                    }
                }
                relay.finish();
            } catch (Relay.ClientGone gone) {
                o.status = 499;
                o.error = "client disconnected";
            } catch (IOException | RuntimeException e) {
                streamBroke(o, e, relay);
            }
        }
        StreamText assembled = new StreamText();
        assembled.content.append(content);
        assembled.promptTokens = o.promptTokens;
        assembled.completionTokens = o.completionTokens;
        assembled.finishReason = finishReason;
        finishStream(o, assembled, body, id, model);
    }

    /**
     * Keys for the first chunk of a stream: the arena's pick and the retrieval sources. Open WebUI sends them as
     * a separate first event, which breaks clients that read {@code choices[0]} of every chunk (open-webui#19732);
     * added to the first real chunk they are passed through untouched by the official OpenAI SDK.
     */
    private static Map<String, Object> firstChunkKeys(String selected, Map<String, Object> extras) {
        if (selected == null && extras.isEmpty()) {
            return null;
        }
        Map<String, Object> keys = new java.util.LinkedHashMap<>();
        if (selected != null) {
            keys.put("selected_model_id", selected);
        }
        keys.putAll(extras);
        return keys;
    }

    /** The upstream chunk with the keys added, or null when the payload is not a chunk with choices. */
    private static ObjectNode withKeys(byte[] b, int off, int len, Map<String, Object> keys) {
        try {
            if (Json.MAPPER.readTree(b, off, len) instanceof ObjectNode chunk && chunk.path("choices").isArray()) {
                keys.forEach(chunk::putPOJO);
                return chunk;
            }
        } catch (RuntimeException notJson) {
            // [DONE] or something else: the keys go in an event of their own
        }
        return null;
    }

    /** The keys in a chunk of their own ({@code choices: []}), for a stream whose first event is not a chunk. */
    private static Map<String, Object> emptyChunk(Map<String, Object> keys) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("object", "chat.completion.chunk");
        event.put("choices", List.of());
        event.putAll(keys);
        return event;
    }

    /** Records why a stream ended early and, when the client is still there, tells it in the stream. */
    private void streamBroke(Outcome o, Exception e, Relay relay) {
        boolean idle = e instanceof SocketTimeoutException;
        o.status = idle ? 504 : 502;
        o.error = idle ? "model server sent nothing for " + upstream.timeout().toSeconds() + " s"
                : "model server stream broke: " + e.getMessage();
        if (relay != null) {
            relay.error(o.error);
        }
    }

    private void finishStream(Outcome o, StreamText s, ObjectNode body, String id, ModelCatalog.Model model) {
        s.read();
        o.promptTokens = s.promptTokens != null ? s.promptTokens : TokenCounter.prompt(body.path("messages"));
        o.completionTokens = s.completionTokens != null ? s.completionTokens : TokenCounter.count(s.content.toString());
        o.response = Json.write(OllamaFormat.completion(s.id != null ? s.id : id, model.id(), clock.instant().getEpochSecond(),
                s.content.toString(), s.finishReason, o.promptTokens, o.completionTokens));
    }

    /**
     * Collects content, usage and the finish reason from an OpenAI SSE stream for the log. The events' payloads
     * are kept as bytes and read when the stream ends, all with one streaming parser (a parser per event cost
     * more than reading the event): no tree, and no work on the relay's path.
     */
    private static final class StreamText {
        final StringBuilder content = new StringBuilder();
        String id;
        String finishReason;
        Integer promptTokens;
        Integer completionTokens;
        private byte[] events = new byte[4096];
        private int size;
        private int[] starts = new int[32];
        private int count;

        private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

        /** The payload of a {@code data:} line, kept for {@link #read()}. */
        void accept(byte[] b, int off, int len) {
            while (len > 0 && b[off] <= ' ') {
                off++;
                len--;
            }
            while (len > 0 && b[off + len - 1] <= ' ') {
                len--;
            }
            if (len == 0 || java.util.Arrays.equals(b, off, off + len, DONE, 0, DONE.length)) {
                return;
            }
            if (size + len + 1 > events.length) {
                events = java.util.Arrays.copyOf(events, Math.max(events.length * 2, size + len + 1));
            }
            if (count == starts.length) {
                starts = java.util.Arrays.copyOf(starts, count * 2);
            }
            starts[count++] = size;
            System.arraycopy(b, off, events, size, len);
            size += len;
            events[size++] = '\n';
        }

        /** Reads every kept event in one pass; if one is not JSON, each is read on its own and such ones skipped. */
        void read() {
            if (count == 0) {
                return;
            }
            try (JsonParser p = Json.MAPPER.createParser(events, 0, size)) {
                for (int i = 0; i < count; i++) {
                    event(p);
                }
            } catch (RuntimeException notJson) {
                content.setLength(0);
                id = null;
                finishReason = null;
                promptTokens = null;
                completionTokens = null;
                for (int i = 0; i < count; i++) {
                    int end = i + 1 < count ? starts[i + 1] : size;
                    try (JsonParser p = Json.MAPPER.createParser(events, starts[i], end - starts[i])) {
                        event(p);
                    } catch (RuntimeException skipped) {
                        // forwarded as is; nothing to record
                    }
                }
            }
            count = 0;
        }

        /** One event: the parser's next root value. */
        private void event(JsonParser p) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                return;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("id") && v == JsonToken.VALUE_STRING) {
                    if (id == null) {
                        id = p.getString();
                    }
                } else if (name.equals("choices") && v == JsonToken.START_ARRAY) {
                    JsonToken first = p.nextToken();
                    if (first == JsonToken.START_OBJECT) {
                        choice(p);
                    } else if (first != JsonToken.END_ARRAY) {
                        p.skipChildren();
                    }
                    if (first != JsonToken.END_ARRAY) {
                        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                            p.skipChildren();
                        }
                    }
                } else if (name.equals("usage") && v == JsonToken.START_OBJECT) {
                    usage(p);
                } else {
                    p.skipChildren();
                }
            }
        }

        private void choice(JsonParser p) {
            for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("delta") && v == JsonToken.START_OBJECT) {
                    for (JsonToken d = p.nextToken(); d == JsonToken.PROPERTY_NAME; d = p.nextToken()) {
                        String field = p.currentName();
                        JsonToken dv = p.nextToken();
                        if (field.equals("content") && dv == JsonToken.VALUE_STRING) {
                            content.append(p.getString());
                        } else {
                            p.skipChildren();
                        }
                    }
                } else if (name.equals("finish_reason") && v == JsonToken.VALUE_STRING) {
                    finishReason = p.getString();
                } else {
                    p.skipChildren();
                }
            }
        }

        private void usage(JsonParser p) {
            boolean prompt = false;
            int promptCount = 0;
            int completionCount = 0;
            for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("prompt_tokens")) {
                    prompt = true;
                    promptCount = v.isScalarValue() ? p.getValueAsInt() : 0;
                } else if (name.equals("completion_tokens") && v.isScalarValue()) {
                    completionCount = p.getValueAsInt();
                }
                p.skipChildren();
            }
            if (prompt) {
                promptTokens = promptCount;
                completionTokens = completionCount;
            }
        }
    }

    private static void json(Exchange ex, byte[] body) {
        ex.contentType("application/json");
        ex.result(body);
    }

    private byte[] readAll(Upstream.Response r) {
        try {
            return r.body().readNBytes(64 << 20);
        } catch (SocketTimeoutException e) {
            throw new UpstreamException(504, "Model server did not answer within " + upstream.timeout().toSeconds() + " s");
        } catch (IOException e) {
            throw new UpstreamException(502, "Model server connection broke: " + e.getMessage());
        }
    }

    static void checkStatus(int status, byte[] body) {
        if (status >= 400) {
            checkStatus(status, new String(body, StandardCharsets.UTF_8));
        }
    }

    /** Keeps statuses a client can act on (400, 404, 413, 422, 429); other failures are the server's: 502/504. */
    static void checkStatus(int status, String body) {
        if (status < 400) {
            return;
        }
        int mapped = switch (status) {
            case 400, 404, 413, 422, 429 -> status;
            case 408, 504 -> 504;
            default -> 502;
        };
        throw new UpstreamException(mapped, "Model server error " + status + ": " + errorMessage(body));
    }

    private static String errorMessage(String body) {
        try {
            JsonNode n = Json.read(body);
            JsonNode error = n.path("error");
            if (error.path("message").isString()) {
                return error.get("message").asString();
            }
            if (error.isString()) {
                return error.asString();
            }
            if (n.path("detail").isString()) {
                return n.get("detail").asString();
            }
        } catch (RuntimeException notJson) {
            // fall through
        }
        return body.length() > 300 ? body.substring(0, 300) : body;
    }
}
