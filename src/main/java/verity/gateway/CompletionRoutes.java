package verity.gateway;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.HEAD;
import static io.javalin.http.HandlerType.POST;
import static verity.http.Access.ADMIN;
import static verity.http.Access.PUBLIC;
import static verity.http.Access.USER;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.server.Handler;
import verity.auth.Authenticator;
import verity.auth.Principal;
import verity.db.TimeOrderedIds;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.RequestIds;
import verity.http.Route;

/** OpenAI-compatible chat completions on every path clients use, and Ollama's native API. */
public final class CompletionRoutes {
    private static final String TAG = "chat completions";
    /** Helicone accepts client-chosen request ids only when they are UUIDs (versions 1–5). */
    private static final Pattern UUID_V1_5 =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", Pattern.CASE_INSENSITIVE);
    /** Any RFC 9562 UUID: the request's own id may be one the server made (version 7) or the client's. */
    private static final Pattern UUID_ANY =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", Pattern.CASE_INSENSITIVE);
    private static final String PROPERTY_PREFIX = "helicone-property-";

    private final CompletionService completions;
    private final OllamaProxy ollama;
    private final verity.requestlog.RequestAccess log;
    private final RequestAugmenter augmenter;

    public CompletionRoutes(CompletionService completions, OllamaProxy ollama, verity.requestlog.RequestAccess log,
                            RequestAugmenter augmenter) {
        this.completions = completions;
        this.ollama = ollama;
        this.log = log;
        this.augmenter = augmenter;
    }

    private Route chat() {
        return Route.api(POST, "/chat/completions", USER, TAG, "OpenAI chat completion, streamed (SSE) or not; logged", this::complete)
                .alias("/api/openai/v1/chat/completions").alias("/openai/chat/completions")
                .body(Map.of("model", "string", "messages", "array", "stream", "boolean?"));
    }

    /**
     * The Jetty handler that serves the chat route's paths ahead of Javalin (see {@link CompletionHandler});
     * Javalin's route stays for what it passes on.
     */
    public Handler.Wrapper handler(Authenticator authenticator, long maxBodySize) {
        return new CompletionHandler(this, chat().paths(), authenticator, maxBodySize);
    }

    public List<Route> routes() {
        return List.of(
                chat(),
                Route.at(GET, List.of("/ollama"), PUBLIC, "ollama", "Health check of the Ollama proxy",
                        ctx -> ctx.json(Map.of("status", true))),
                Route.at(HEAD, List.of("/ollama"), PUBLIC, "ollama", "Health check of the Ollama proxy", ctx -> ctx.status(200)),
                Route.at(GET, List.of("/ollama/api/tags"), USER, "ollama", "Models of every Ollama server, merged", ollama::tags),
                Route.at(POST, List.of("/ollama/api/chat"), USER, "ollama", "Ollama chat, passed through (NDJSON)", ctx -> ollama.pass(ctx, "/api/chat")),
                Route.at(POST, List.of("/ollama/api/generate"), USER, "ollama", "Ollama generate, passed through (NDJSON)", ctx -> ollama.pass(ctx, "/api/generate")),
                Route.api(POST, "/models/pull", ADMIN, "models", "Pull a model on the Ollama server, streaming its progress", ollama::pull)
                        .alias("/ollama/api/pull").body(Map.of("name", "string")));
    }

    private void complete(Context ctx) {
        complete(Exchange.of(ctx), Principal.of(ctx), RequestIds.of(ctx), ctx.bodyAsBytes());
    }

    /**
     * The completion for an authenticated caller. {@code ownId} is the id already given to this request
     * (X-Request-Id); the log id is the client's Helicone-Request-Id when it is a UUID, else this one if it is one.
     */
    void complete(Exchange ex, Principal principal, String ownId, byte[] body) {
        Form f = Form.of(body);
        f.requiredString("model", 512);
        JsonNode messages = f.raw().get("messages");
        if (messages == null || !messages.isArray()) {
            f.error("messages", messages == null ? "Field required" : "Input should be a valid list", messages == null ? "missing" : "list_type");
        }
        f.optionalBoolean("stream");
        f.check();
        ObjectNode request = f.raw();
        String given = ex.header("Helicone-Request-Id");
        String logId = requestId(given, ownId);
        if (given != null && log.exists(logId)) {
            throw new ApiException(409, "Helicone-Request-Id " + logId + " was already used by another request");
        }
        Map<String, String> properties = properties(ex);
        RequestAugmenter.Augmented augmented = augmenter.augment(principal.user(), request);
        ex.header("X-Request-Id", logId);
        ex.header("Helicone-Id", logId);
        boolean asSent = augmented.request() == request;
        completions.complete(ex, new CompletionService.Call(principal.userId(), augmented.request(), asSent ? body : null, ex.path(), logId,
                properties, ex.header("Helicone-User-Id"), augmented.extras()));
    }

    /** The client's Helicone-Request-Id when it is a UUID, else this request's id when that is one, else a new one. */
    private static String requestId(String given, String own) {
        if (given != null && UUID_V1_5.matcher(given.trim()).matches()) {
            return given.trim().toLowerCase(Locale.ROOT);
        }
        return UUID_ANY.matcher(own).matches() ? own : TimeOrderedIds.next();
    }

    /** Helicone-Property-* headers, keyed by the lower-cased rest of the header name. */
    private static Map<String, String> properties(Exchange ex) {
        Map<String, String> props = new LinkedHashMap<>();
        boolean[] given = {false};
        ex.forEachHeader((name, value) -> {
            if (name.regionMatches(true, 0, PROPERTY_PREFIX, 0, PROPERTY_PREFIX.length())) {
                given[0] = true;
                String key = name.substring(PROPERTY_PREFIX.length()).toLowerCase(Locale.ROOT);
                if (!key.isEmpty() && key.length() <= 255 && value.length() <= 10_000 && props.size() < 50) {
                    props.putIfAbsent(key, value);
                }
            }
        });
        if (given[0] && props.isEmpty()) {
            throw ApiException.badRequest("Helicone-Property-* headers need a name after the prefix and values under 10,000 characters");
        }
        return props;
    }
}
