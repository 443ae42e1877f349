package verity.retrieval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import verity.gateway.Upstream;
import verity.http.ApiException;
import verity.http.Json;

/**
 * An OpenAI-compatible ({@code POST /embeddings}) or Ollama ({@code POST /api/embed}) embeddings endpoint, called
 * with the model servers' client (same timeout and proxies).
 */
public final class RemoteEmbedder implements Embedder {
    public enum Kind { OPENAI, OLLAMA }

    private final Kind kind;
    private final String baseUrl;
    private final String apiKey;
    private final String model;
    private final Upstream http;

    public RemoteEmbedder(Kind kind, String baseUrl, String apiKey, String model, Upstream http) {
        this.http = http;
        this.kind = kind;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.model = model;
    }

    @Override
    public String id() {
        return kind.name().toLowerCase() + "-" + model;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        ObjectNode body = Json.object();
        body.put("model", model);
        body.set("input", Json.MAPPER.valueToTree(texts));
        String url = kind == Kind.OPENAI ? baseUrl + "/embeddings" : baseUrl + "/api/embed";
        int status;
        String text;
        try (Upstream.Response response = http.post(url, kind == Kind.OPENAI ? apiKey : null,
                Json.MAPPER.writeValueAsBytes(body), Map.of())) {
            status = response.statusCode();
            text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        } catch (ApiException e) {
            throw new IllegalStateException("embeddings endpoint " + url + ": " + e.detail(), e);
        } catch (IOException e) {
            throw new IllegalStateException("embeddings endpoint " + url + " broke off: " + e.getMessage(), e);
        }
        if (status != 200) {
            throw new IllegalStateException("embeddings endpoint " + url + " answered " + status + ": "
                    + (text.length() > 300 ? text.substring(0, 300) : text));
        }
        JsonNode answer = Json.read(text);
        List<float[]> vectors = new ArrayList<>();
        if (kind == Kind.OPENAI) {
            JsonNode data = answer.path("data");
            for (int i = 0; i < data.size(); i++) {
                vectors.add(null);
            }
            for (JsonNode item : data) {
                vectors.set(item.path("index").asInt(vectors.indexOf(null)), vector(item.path("embedding")));
            }
        } else {
            answer.path("embeddings").forEach(v -> vectors.add(vector(v)));
        }
        if (vectors.size() != texts.size() || vectors.contains(null)) {
            throw new IllegalStateException("embeddings endpoint " + url + " returned " + vectors.size() + " vectors for " + texts.size() + " texts");
        }
        return vectors;
    }

    private static float[] vector(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return Embedder.normalize(v);
    }
}
