package verity.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.EndpointMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One HTTP route as data: method, the paths it answers on (seed path first, then aliases), who may call it and
 * what it does. The same list registers the handlers, builds /openapi.json and is checked against docs/API.md.
 */
public record Route(HandlerType method, List<String> paths, Access access, String tag, String summary,
                    Map<String, Object> requestSchema, boolean resultEnvelope, Handler handler) implements EndpointMetadata {

    /** A route on the seed path {@code /api/<path>} and Open WebUI's {@code /api/v1/<path>}. */
    public static Route api(HandlerType method, String path, Access access, String tag, String summary, Handler handler) {
        return new Route(method, List.of("/api" + path, "/api/v1" + path), access, tag, summary, null, false, handler);
    }

    /** A route on exactly the given paths. */
    public static Route at(HandlerType method, List<String> paths, Access access, String tag, String summary, Handler handler) {
        return new Route(method, List.copyOf(paths), access, tag, summary, null, false, handler);
    }

    /** The same route with one more path. */
    public Route alias(String path) {
        List<String> more = new ArrayList<>(paths);
        more.add(path);
        return new Route(method, List.copyOf(more), access, tag, summary, requestSchema, resultEnvelope, handler);
    }

    /** Documents the JSON body: a map of field name to JSON-schema type ("string", "integer", "boolean", "object"); a '?' suffix marks optional. */
    public Route body(Map<String, Object> fields) {
        return new Route(method, paths, access, tag, summary, fields, resultEnvelope, handler);
    }

    /** Errors of this route also carry Helicone's {@code {"data": null, "error": "..."}} next to {@code detail}. */
    public Route withResultEnvelope() {
        return new Route(method, paths, access, tag, summary, requestSchema, true, handler);
    }

    public String seedPath() {
        return paths.getFirst();
    }
}
