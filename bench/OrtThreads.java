import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import verity.retrieval.LocalEmbedder;
import verity.retrieval.TextExtractor;
import verity.retrieval.TextSplitter;

/**
 * Is MiniLM's CPU cost per chunk a matter of ONNX Runtime's threading? Embeds the same chunks of the ingest corpus
 * with the server's LocalEmbedder and with the same model/tokenizer (from the jar) in sessions created with other
 * SessionOptions, through langchain4j's own embedAll (one inference per text on a pool of 2 threads).
 *
 *   java --enable-native-access=ALL-UNNAMED -cp verity.jar bench/OrtThreads.java CORPUS_DIR [chunks]
 */
public class OrtThreads {
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** langchain4j's in-process model around an encoder made from our own session. */
    static final class Model extends AbstractInProcessEmbeddingModel {
        final OnnxBertBiEncoder encoder;

        Model(OrtSession.SessionOptions options, ExecutorService pool) throws Exception {
            super(pool);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            byte[] onnx;
            try (InputStream in = OrtThreads.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
                onnx = in.readAllBytes();
            }
            OrtSession session = env.createSession(onnx, options);
            encoder = new OnnxBertBiEncoder(env, session,
                    OrtThreads.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json"), PoolingMode.MEAN);
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }
    }

    interface Embed {
        void run(List<String> texts) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        List<String> chunks = new ArrayList<>();
        TextExtractor extractor = new TextExtractor();
        TextSplitter splitter = new TextSplitter(1000, 100);
        List<Path> files;
        try (Stream<Path> s = Files.list(corpus)) {
            files = s.sorted().toList();
        }
        for (Path p : files) {
            String name = p.getFileName().toString();
            String text = extractor.extract(name.substring(name.lastIndexOf('.') + 1), null, Files.readAllBytes(p)).text();
            splitter.split(text).forEach(c -> chunks.add(c.text()));
            if (chunks.size() >= n + 32) {
                break;
            }
        }
        List<String> sample = chunks.subList(32, 32 + n);
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(
                OrtThreads.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json"), Map.of("padding", "false"))) {
            double tokens = sample.stream().mapToInt(t -> tok.tokenize(t).size()).average().orElse(0);
            double chars = sample.stream().mapToInt(String::length).average().orElse(0);
            System.out.printf("%d chunks, mean %.0f characters, mean %.0f tokens (with [CLS]/[SEP]); load %s%n", n, chars, tokens,
                    Files.readString(Path.of("/proc/loadavg")).trim());
        }

        LocalEmbedder server = new LocalEmbedder();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        OrtSession.SessionOptions one = new OrtSession.SessionOptions();
        one.setIntraOpNumThreads(1);
        OrtSession.SessionOptions noSpin = new OrtSession.SessionOptions();
        noSpin.addConfigEntry("session.intra_op.allow_spinning", "0");
        Model single = new Model(one, pool);
        Model quiet = new Model(noSpin, pool);

        run("server LocalEmbedder, one text per call", sample, texts -> texts.forEach(server::embed));
        run("server LocalEmbedder, lists of 32", sample, texts -> batches(texts, 32, server::embed));
        run("intra-op 1 thread, one text per call", sample, texts -> texts.forEach(t -> single.embed(t)));
        run("intra-op 1 thread, lists of 32 (2 at once)", sample, texts -> batches(texts, 32, b -> single.embedAll(b.stream().map(TextSegment::from).toList())));
        run("no spinning, one text per call", sample, texts -> texts.forEach(t -> quiet.embed(t)));
        run("no spinning, lists of 32", sample, texts -> batches(texts, 32, b -> quiet.embedAll(b.stream().map(TextSegment::from).toList())));
        System.exit(0);
    }

    interface Batch {
        Object run(List<String> b) throws Exception;
    }

    static void batches(List<String> texts, int size, Batch b) throws Exception {
        for (int from = 0; from < texts.size(); from += size) {
            b.run(texts.subList(from, Math.min(texts.size(), from + size)));
        }
    }

    static void run(String name, List<String> sample, Embed e) throws Exception {
        e.run(sample.subList(0, 16)); // warm-up (and model load)
        long t0 = System.nanoTime(), c0 = OS.getProcessCpuTime();
        e.run(sample);
        double s = (System.nanoTime() - t0) / 1e9, cpu = (OS.getProcessCpuTime() - c0) / 1e9;
        System.out.printf("%-44s %6.1f chunks/s  cpu %5.1f ms/chunk  cores busy %.2f%n", name, sample.size() / s,
                1000 * cpu / sample.size(), cpu / s);
    }
}
