package verity.gateway;

import io.javalin.http.Context;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
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

    /** Who asked, what, and the request-log fields that come from headers. */
    public record Call(String userId, ObjectNode request, String path, String logId, Map<String, String> properties,
                       String heliconeUserId, Map<String, Object> extras) {}

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
        volatile boolean idle;
    }

    public void complete(Context ctx, Call call) {
        long started = System.nanoTime();
        long startedMs = clock.millis();
        Outcome o = new Outcome();
        try {
            ModelCatalog.Model model = resolve(call.request().path("model").asString(""), o);
            ObjectNode body = RequestShaping.forUpstream(call.request(), model);
            o.connection = model.connection().label();
            boolean stream = body.path("stream").asBoolean(false);
            if (model.connection().kind() == Connection.Kind.OPENAI) {
                if (stream) {
                    openAiStream(ctx, model, body, call, o, started);
                } else {
                    openAiOnce(ctx, model, body, call, o);
                }
            } else if (stream) {
                ollamaStream(ctx, model, body, call, o, started);
            } else {
                ollamaOnce(ctx, model, body, call, o);
            }
        } catch (ApiException e) {
            o.status = e.status();
            o.error = String.valueOf(e.detail());
            throw e;
        } finally {
            long latency = (System.nanoTime() - started) / 1_000_000;
            log.submit(new RequestRecord(call.logId(), call.userId(), call.request().path("model").asString(""),
                    o.selectedModel, o.connection, call.path(), call.request().path("stream").asBoolean(false),
                    Json.write(call.request()), o.response, o.status, o.error, latency, o.ttftMs, o.promptTokens,
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
            throw new UpstreamException(502, "No reachable model server serves " + model.upstreamId());
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

    private void openAiOnce(Context ctx, ModelCatalog.Model model, ObjectNode body, Call call, Outcome o) {
        HttpResponse<InputStream> r = upstream.post(model.connection().baseUrl() + "/chat/completions",
                model.connection().apiKey(), Json.write(body), Map.of());
        String text = readAll(r);
        checkStatus(r.statusCode(), text);
        JsonNode parsed;
        try {
            parsed = Json.read(text);
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
        ctx.contentType("application/json").result(o.response);
    }

    private void openAiStream(Context ctx, ModelCatalog.Model model, ObjectNode body, Call call, Outcome o, long started) {
        HttpResponse<InputStream> r = upstream.post(model.connection().baseUrl() + "/chat/completions",
                model.connection().apiKey(), Json.write(body), Map.of("Accept", "text/event-stream"));
        if (r.statusCode() >= 400) {
            checkStatus(r.statusCode(), readAll(r));
        }
        StreamText assembled = new StreamText();
        Relay relay = null;
        try (InputStream in = r.body();
             IdleWatchdog watchdog = new IdleWatchdog(in, upstream.timeout(), () -> o.idle = true);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            relay = new Relay(ctx);
            if (o.selectedModel != null || !call.extras().isEmpty()) {
                relay.event("data: " + Json.write(preludeEvent(o.selectedModel, call.extras())));
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                watchdog.touch();
                if (o.ttftMs == null && line.startsWith("data:")) {
                    o.ttftMs = (System.nanoTime() - started) / 1_000_000;
                }
                relay.line(line);
                assembled.accept(line);
            }
        } catch (Relay.ClientGone gone) {
            o.status = 499;
            o.error = "client disconnected";
        } catch (IOException e) {
            streamBroke(o, e, relay);
        }
        finishStream(o, assembled, body, call.logId(), model);
    }

    private void ollamaOnce(Context ctx, ModelCatalog.Model model, ObjectNode body, Call call, Outcome o) {
        HttpResponse<InputStream> r = upstream.post(model.connection().baseUrl() + "/api/chat", null,
                Json.write(OllamaFormat.request(body, false)), Map.of());
        String text = readAll(r);
        checkStatus(r.statusCode(), text);
        JsonNode answer;
        try {
            answer = Json.read(text);
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
        ctx.contentType("application/json").result(o.response);
    }

    private void ollamaStream(Context ctx, ModelCatalog.Model model, ObjectNode body, Call call, Outcome o, long started) {
        HttpResponse<InputStream> r = upstream.post(model.connection().baseUrl() + "/api/chat", null,
                Json.write(OllamaFormat.request(body, true)), Map.of());
        if (r.statusCode() >= 400) {
            checkStatus(r.statusCode(), readAll(r));
        }
        long created = clock.instant().getEpochSecond();
        String id = call.logId();
        StringBuilder content = new StringBuilder();
        String finishReason = null;
        Relay relay = null;
        try (InputStream in = r.body();
             IdleWatchdog watchdog = new IdleWatchdog(in, upstream.timeout(), () -> o.idle = true);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            relay = new Relay(ctx);
            if (o.selectedModel != null || !call.extras().isEmpty()) {
                relay.event("data: " + Json.write(preludeEvent(o.selectedModel, call.extras())));
            }
            boolean first = true;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                watchdog.touch();
                if (line.isBlank()) {
                    continue;
                }
                JsonNode part = Json.read(line);
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
                    relay.event("data: " + Json.write(OllamaFormat.chunk(id, model.id(), created, delta, null)));
                }
                if (part.path("done").asBoolean(false)) {
                    o.promptTokens = OllamaFormat.intOrNull(part.get("prompt_eval_count"));
                    o.completionTokens = OllamaFormat.intOrNull(part.get("eval_count"));
                    finishReason = part.path("done_reason").asString("stop");
                    ObjectNode last = OllamaFormat.chunk(id, model.id(), created, Json.object(), finishReason);
                    last.set("usage", OllamaFormat.usage(o.promptTokens, o.completionTokens));
                    relay.event("data: " + Json.write(last));
                    relay.event("data: [DONE]");
                    break;
                }
            }
        } catch (Relay.ClientGone gone) {
            o.status = 499;
            o.error = "client disconnected";
        } catch (IOException | RuntimeException e) {
            streamBroke(o, e, relay);
        }
        StreamText assembled = new StreamText();
        assembled.content.append(content);
        assembled.promptTokens = o.promptTokens;
        assembled.completionTokens = o.completionTokens;
        assembled.finishReason = finishReason;
        finishStream(o, assembled, body, id, model);
    }

    /**
     * The arena's pick and the retrieval sources, sent before the first chunk as Open WebUI does. It is shaped
     * as an empty chunk ({@code choices: []}) so strict OpenAI clients that index {@code choices} do not fail on it.
     */
    private static Map<String, Object> preludeEvent(String selected, Map<String, Object> extras) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("object", "chat.completion.chunk");
        event.put("choices", List.of());
        if (selected != null) {
            event.put("selected_model_id", selected);
        }
        event.putAll(extras);
        return event;
    }

    /** Records why a stream ended early and, when the client is still there, tells it in the stream. */
    private void streamBroke(Outcome o, Exception e, Relay relay) {
        o.status = o.idle ? 504 : 502;
        o.error = o.idle ? "model server sent nothing for " + upstream.timeout().toSeconds() + " s"
                : "model server stream broke: " + e.getMessage();
        if (relay != null) {
            relay.error(o.error);
        }
    }

    private void finishStream(Outcome o, StreamText s, ObjectNode body, String id, ModelCatalog.Model model) {
        o.promptTokens = s.promptTokens != null ? s.promptTokens : TokenCounter.prompt(body.path("messages"));
        o.completionTokens = s.completionTokens != null ? s.completionTokens : TokenCounter.count(s.content.toString());
        o.response = Json.write(OllamaFormat.completion(s.id != null ? s.id : id, model.id(), clock.instant().getEpochSecond(),
                s.content.toString(), s.finishReason, o.promptTokens, o.completionTokens));
    }

    /** Collects content, usage and the finish reason from an OpenAI SSE stream for the log. */
    private static final class StreamText {
        final StringBuilder content = new StringBuilder();
        String id;
        String finishReason;
        Integer promptTokens;
        Integer completionTokens;

        void accept(String line) {
            if (!line.startsWith("data:")) {
                return;
            }
            String data = line.substring(5).trim();
            if (data.isEmpty() || data.equals("[DONE]")) {
                return;
            }
            try {
                JsonNode chunk = Json.read(data);
                if (id == null && chunk.path("id").isString()) {
                    id = chunk.get("id").asString();
                }
                JsonNode choice = chunk.path("choices").path(0);
                content.append(choice.path("delta").path("content").asString(""));
                if (choice.path("finish_reason").isString()) {
                    finishReason = choice.get("finish_reason").asString();
                }
                JsonNode usage = chunk.path("usage");
                if (usage.has("prompt_tokens")) {
                    promptTokens = usage.get("prompt_tokens").asInt();
                    completionTokens = usage.path("completion_tokens").asInt();
                }
            } catch (RuntimeException notJson) {
                // forwarded as is; nothing to record
            }
        }
    }

    private static String readAll(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            return new String(in.readNBytes(64 << 20), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UpstreamException(502, "Model server connection broke: " + e.getMessage());
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
