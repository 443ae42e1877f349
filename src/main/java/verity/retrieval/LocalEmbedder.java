package verity.retrieval;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * all-MiniLM-L6-v2 (Open WebUI's default embedding model, 384 dimensions) in this process through ONNX Runtime:
 * the int8-quantized build shipped inside a Maven artifact, so it works offline. Loaded on first use, once per
 * process (the model is stateless and thread-safe).
 *
 * <p>Each inference runs on one thread without spin-waiting, and texts are spread over one thread per core:
 * ONNX Runtime's defaults (a spinning thread pool per inference, while langchain4j already runs inferences in
 * parallel) spent about half of the CPU waiting (bench/RAG.md).
 */
public final class LocalEmbedder implements Embedder {
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    @Override
    public String id() {
        return "local-all-minilm-l6-v2-q";
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(t.isEmpty() ? " " : t)).toList();
        return Holder.MODEL.embedAll(segments).content().stream().map(Embedding::vector).map(Embedder::normalize).toList();
    }

    private static final class Holder {
        static final Model MODEL = new Model();
    }

    private static final class Model extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Model() {
            super(pool());
            try (InputStream onnx = resource(MODEL); InputStream tokenizer = resource(TOKENIZER)) {
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setIntraOpNumThreads(1);
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                OrtSession session = env.createSession(onnx.readAllBytes(), options);
                encoder = new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the embedding model", e);
            } catch (OrtException e) {
                throw new IllegalStateException("cannot load the embedding model: " + e.getMessage(), e);
            }
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        private static ExecutorService pool() {
            return Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
                Thread t = new Thread(r, "embedding");
                t.setDaemon(true);
                return t;
            });
        }

        private static InputStream resource(String name) {
            InputStream in = LocalEmbedder.class.getClassLoader().getResourceAsStream(name);
            if (in == null) {
                throw new IllegalStateException("the embedding model resource " + name + " is missing from the class path");
            }
            return in;
        }
    }
}
