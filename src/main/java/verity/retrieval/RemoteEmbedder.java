package verity.retrieval;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import verity.http.Json;

/** An OpenAI-compatible ({@code POST /embeddings}) or Ollama ({@code POST /api/embed}) embeddings endpoint. */
public final class RemoteEmbedder implements Embedder {
    public enum Kind { OPENAI, OLLAMA }

    private final Kind kind;
    private final String baseUrl;
    private final String apiKey;
    private final String model;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public RemoteEmbedder(Kind kind, String baseUrl, String apiKey, String model) {
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
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (kind == Kind.OPENAI && apiKey != null && !apiKey.isEmpty()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("embeddings endpoint " + url + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        }
        if (response.statusCode() != 200) {
            String text = response.body();
            throw new IllegalStateException("embeddings endpoint " + url + " answered " + response.statusCode() + ": "
                    + (text.length() > 300 ? text.substring(0, 300) : text));
        }
        JsonNode answer = Json.read(response.body());
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
