package verity.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the OpenAPI 3.1 document from the same route table that registers the handlers. */
public final class OpenApi {
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    private OpenApi() {}

    public static Map<String, Object> document(RouteTable table, String title, String version) {
        Map<String, Object> paths = new TreeMap<>();
        for (RouteTable.Entry e : table.entries()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(e.path(), p -> new LinkedHashMap<>());
            item.put(e.method().name().toLowerCase(Locale.ROOT), operation(e));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", title, "version", version,
                "description", "Open WebUI-compatible API with a human-feedback loop. Every route answers on its seed "
                        + "path and on Open WebUI's /api/v1 path, with or without a trailing slash."));
        doc.put("components", Map.of("securitySchemes", Map.of(
                "bearer", Map.of("type", "http", "scheme", "bearer", "description", "Session JWT or sk- API key"),
                "cookie", Map.of("type", "apiKey", "in", "cookie", "name", "token"))));
        doc.put("paths", paths);
        return doc;
    }

    private static Map<String, Object> operation(RouteTable.Entry e) {
        Route r = e.route();
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("tags", List.of(r.tag()));
        op.put("summary", r.summary());
        op.put("description", "Access: " + r.access().name().toLowerCase(Locale.ROOT)
                + (e.path().equals(RouteTable.normalize(r.seedPath())) ? "" : ". Alias of " + r.seedPath()));
        op.put("operationId", r.method().name().toLowerCase(Locale.ROOT) + e.path().replaceAll("[^A-Za-z0-9]+", "_"));
        List<Map<String, Object>> params = new ArrayList<>();
        Matcher m = PARAM.matcher(e.path());
        while (m.find()) {
            params.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        if (!params.isEmpty()) {
            op.put("parameters", params);
        }
        if (r.requestSchema() != null) {
            op.put("requestBody", Map.of("required", true, "content", Map.of("application/json", Map.of("schema", schema(r.requestSchema())))));
        }
        if (r.access() == Access.PUBLIC) {
            op.put("security", List.of());
        } else {
            op.put("security", List.of(Map.of("bearer", List.of()), Map.of("cookie", List.of())));
        }
        Map<String, Object> error = Map.of("description", "Error", "content", Map.of("application/json",
                Map.of("schema", Map.of("type", "object", "properties", Map.of("detail", Map.of())))));
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("200", Map.of("description", "Success", "content", Map.of("application/json", Map.of("schema", Map.of()))));
        if (r.access() != Access.PUBLIC) {
            responses.put("401", error);
            responses.put("403", error);
        }
        responses.put("422", error);
        op.put("responses", responses);
        return op;
    }

    private static Map<String, Object> schema(Map<String, Object> fields) {
        Map<String, Object> properties = new TreeMap<>();
        List<String> required = new ArrayList<>();
        fields.forEach((name, type) -> {
            String t = type.toString();
            boolean optional = t.endsWith("?");
            properties.put(name, Map.of("type", optional ? t.substring(0, t.length() - 1) : t));
            if (!optional) {
                required.add(name);
            }
        });
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            required.sort(null);
            schema.put("required", required);
        }
        return schema;
    }
}
