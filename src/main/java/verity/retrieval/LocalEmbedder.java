package verity.retrieval;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * all-MiniLM-L6-v2 (Open WebUI's default embedding model, 384 dimensions) in this process through ONNX Runtime:
 * the int8-quantized build shipped inside a Maven artifact, so it works offline. Loaded on first use, once per
 * process (the model is stateless and thread-safe).
 *
 * <p>One ONNX inference per text, on one thread without spin-waiting, texts spread over one thread per core.
 * Batching texts into one inference is no option with this model: it quantizes its activations with one scale
 * per tensor, so the texts of a batch (and their padding) change each other's vectors (bench/RAG.md). A text is
 * tokenized once and mean-pooled here; langchain4j's encoder gives the same vectors but tokenizes every text
 * three times, so it only handles texts longer than the model's 512 positions (it embeds their parts
 * separately and averages them).
 */
public final class LocalEmbedder implements Embedder {
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
    /** Positions of the model, [CLS] and [SEP] included. */
    private static final int MAX_TOKENS = 512;

    @Override
    public String id() {
        return "local-all-minilm-l6-v2-q";
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Model model = Holder.MODEL;
        if (texts.size() == 1) {
            return List.of(model.embed(texts.getFirst()));
        }
        List<CompletableFuture<float[]>> parts = new ArrayList<>(texts.size());
        for (String text : texts) {
            parts.add(CompletableFuture.supplyAsync(() -> model.embed(text), model.pool));
        }
        return parts.stream().map(CompletableFuture::join).toList();
    }

    private static final class Holder {
        static final Model MODEL = new Model();
    }

    private static final class Model {
        final ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "embedding");
            t.setDaemon(true);
            return t;
        });
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession session;
        private final boolean tokenTypes;
        private final HuggingFaceTokenizer tokenizer;
        private final LongTexts longTexts;

        Model() {
            try (InputStream onnx = resource(MODEL); InputStream vocabulary = resource(TOKENIZER);
                 InputStream sameVocabulary = resource(TOKENIZER)) {
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setIntraOpNumThreads(1);
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                session = env.createSession(onnx.readAllBytes(), options);
                tokenTypes = session.getInputNames().contains("token_type_ids");
                tokenizer = HuggingFaceTokenizer.newInstance(vocabulary, Map.of("padding", "false"));
                longTexts = new LongTexts(new OnnxBertBiEncoder(env, session, sameVocabulary, PoolingMode.MEAN));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the embedding model", e);
            } catch (OrtException e) {
                throw new IllegalStateException("cannot load the embedding model: " + e.getMessage(), e);
            }
        }

        float[] embed(String text) {
            String t = text.isEmpty() ? " " : text;
            long[] ids = tokenizer.encode(t, true, false).getIds();
            if (ids.length > MAX_TOKENS) {
                return Embedder.normalize(longTexts.embed(t).content().vector());
            }
            long[] shape = {1, ids.length};
            long[] ones = new long[ids.length];
            Arrays.fill(ones, 1L);
            try (OnnxTensor input = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                 OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape);
                 OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape)) {
                Map<String, OnnxTensor> inputs = tokenTypes
                        ? Map.of("input_ids", input, "attention_mask", mask, "token_type_ids", types)
                        : Map.of("input_ids", input, "attention_mask", mask);
                try (OrtSession.Result result = session.run(inputs)) {
                    return Embedder.normalize(meanPool(((OnnxTensor) result.get(0)).getFloatBuffer(), ids.length));
                }
            } catch (OrtException e) {
                throw new IllegalStateException("embedding failed: " + e.getMessage(), e);
            }
        }

        /** The mean of the token vectors, [CLS] and [SEP] included (as the model was trained). */
        private static float[] meanPool(FloatBuffer hidden, int tokens) {
            int dim = hidden.capacity() / tokens;
            float[] sum = new float[dim];
            for (int t = 0; t < tokens; t++) {
                for (int d = 0; d < dim; d++) {
                    sum[d] += hidden.get(t * dim + d);
                }
            }
            for (int d = 0; d < dim; d++) {
                sum[d] /= tokens;
            }
            return sum;
        }

        private static InputStream resource(String name) {
            InputStream in = LocalEmbedder.class.getClassLoader().getResourceAsStream(name);
            if (in == null) {
                throw new IllegalStateException("the embedding model resource " + name + " is missing from the class path");
            }
            return in;
        }
    }

    /** langchain4j's encoder on the same session, for texts longer than the model's positions. */
    private static final class LongTexts extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        LongTexts(OnnxBertBiEncoder encoder) {
            super(Runnable::run);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }
    }
}
