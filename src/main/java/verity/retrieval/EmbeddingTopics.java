package verity.retrieval;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import verity.evaluation.TopicSimilarity;

/** Tag-to-query similarity with the retrieval embedder; tag vectors are cached (tags are few and repeat). */
public final class EmbeddingTopics implements TopicSimilarity {
    private final Embedder embedder;
    private final Cache<String, float[]> vectors = Caffeine.newBuilder().maximumSize(50_000).build();

    public EmbeddingTopics(Embedder embedder) {
        this.embedder = embedder;
    }

    @Override
    public Map<String, Double> similarity(String query, Collection<String> tags) {
        Map<String, float[]> known = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String tag : tags) {
            float[] v = vectors.getIfPresent(tag);
            if (v != null) {
                known.put(tag, v);
            } else if (!known.containsKey(tag)) {
                missing.add(tag);
            }
        }
        for (int from = 0; from < missing.size(); from += 256) {
            List<String> batch = missing.subList(from, Math.min(missing.size(), from + 256));
            List<float[]> embedded = embedder.embed(new ArrayList<>(batch));
            for (int i = 0; i < batch.size(); i++) {
                vectors.put(batch.get(i), embedded.get(i));
                known.put(batch.get(i), embedded.get(i));
            }
        }
        float[] q = embedder.embed(query);
        Map<String, Double> out = new HashMap<>();
        known.forEach((tag, v) -> out.put(tag, Embedder.cosine(q, v)));
        return out;
    }
}
