package verity.gateway;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Json;

/** Ollama's own API for Ollama clients: requests go to the server that has the model; bytes stream back as they come. */
public final class OllamaProxy {
    private final ModelCatalog catalog;
    private final ConnectionSettings connections;
    private final Upstream upstream;

    public OllamaProxy(ModelCatalog catalog, ConnectionSettings connections, Upstream upstream) {
        this.catalog = catalog;
        this.connections = connections;
        this.upstream = upstream;
    }

    /**
     * Every Ollama server's /api/tags entries as they are (size, digest, details…), merged by model as Open WebUI
     * does: each entry gains {@code urls}, the positions of the servers that have it. Unreachable servers are skipped.
     */
    void tags(Context ctx) {
        Map<String, ObjectNode> merged = new java.util.LinkedHashMap<>();
        for (Connection c : connections.connections()) {
            if (c.kind() != Connection.Kind.OLLAMA) {
                continue;
            }
            JsonNode list;
            try {
                list = upstream.getJson(c.baseUrl() + "/api/tags", null, java.time.Duration.ofSeconds(3)).path("models");
            } catch (RuntimeException unreachable) {
                continue;
            }
            for (JsonNode m : list) {
                String id = m.path("model").asString(m.path("name").asString(""));
                if (!(m instanceof ObjectNode entry) || id.isEmpty()) {
                    continue;
                }
                ObjectNode known = merged.get(id);
                if (known == null) {
                    entry.putArray("urls").add(c.index());
                    merged.put(id, entry);
                } else {
                    ((tools.jackson.databind.node.ArrayNode) known.get("urls")).add(c.index());
                }
            }
        }
        ctx.json(Map.of("models", new ArrayList<>(merged.values())));
    }

    void pass(Context ctx, String path) {
        Form f = Form.of(ctx);
        String model = f.requiredString("model", 512);
        f.check();
        // Ollama (and Open WebUI's proxy) read a name without a tag as ":latest".
        String tagged = model.contains(":") ? model : model + ":latest";
        Connection c = catalog.baseModels().stream()
                .filter(m -> m.connection().kind() == Connection.Kind.OLLAMA && (m.id().equals(model) || m.id().equals(tagged)))
                .map(ModelCatalog.Model::connection).findFirst()
                .orElseThrow(() -> ApiException.notFound("Model not found: " + model));
        relay(ctx, c, path, f.raw());
    }

    void pull(Context ctx) {
        Form f = Form.of(ctx);
        String name = f.requiredString("name", 512);
        f.check();
        Connection c = connections.connections().stream().filter(x -> x.kind() == Connection.Kind.OLLAMA).findFirst()
                .orElseThrow(() -> new UpstreamException(502, "No Ollama server is configured"));
        ObjectNode body = Json.object();
        body.put("name", name);
        body.put("model", name);
        body.put("stream", f.raw().path("stream").asBoolean(true));
        relay(ctx, c, "/api/pull", body);
        catalog.refresh();
    }

    private void relay(Context ctx, Connection c, String path, JsonNode body) {
        try (Upstream.Response r = upstream.post(c.baseUrl() + path, null, Json.MAPPER.writeValueAsBytes(body), Map.of())) {
            InputStream in = r.body();
            if (r.statusCode() >= 400) {
                try {
                    CompletionService.checkStatus(r.statusCode(), in.readNBytes(1 << 20));
                } catch (IOException e) {
                    throw new UpstreamException(502, "Model server connection broke");
                }
            }
            ctx.status(200);
            String type = r.contentType();
            ctx.contentType(type != null ? type : "application/x-ndjson");
            try {
                OutputStream out = Relay.rawOutput(ctx);
                byte[] buffer = new byte[8192];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    if (in.available() <= 0) {
                        out.flush(); // only when the next read would wait: a burst goes out as one write
                    }
                }
            } catch (IOException clientOrUpstreamGone) {
                // closing the upstream response (try-with-resources) before its end cancels the upstream request
            }
        }
    }
}
