package verity.retrieval;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;

/**
 * all-MiniLM-L6-v2 (Open WebUI's default embedding model, 384 dimensions) in this process through ONNX Runtime:
 * the int8-quantized build shipped inside a Maven artifact, so it works offline. Loaded on first use, once per
 * process (the model is stateless and thread-safe).
 */
public final class LocalEmbedder implements Embedder {

    @Override
    public String id() {
        return "local-all-minilm-l6-v2-q";
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(t.isEmpty() ? " " : t)).toList();
        return model().embedAll(segments).content().stream().map(Embedding::vector).map(Embedder::normalize).toList();
    }

    private static AllMiniLmL6V2QuantizedEmbeddingModel model() {
        return Holder.MODEL;
    }

    private static final class Holder {
        static final AllMiniLmL6V2QuantizedEmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();
    }
}
