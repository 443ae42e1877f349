package verity.evaluation;

import java.util.Collection;
import java.util.Map;

/** How close each tag is to a topic query (cosine similarity of their embeddings), for leaderboard weighting. */
public interface TopicSimilarity {

    Map<String, Double> similarity(String query, Collection<String> tags);
}
