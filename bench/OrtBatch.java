import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.stream.Stream;
import verity.retrieval.Embedder;
import verity.retrieval.LocalEmbedder;
import verity.retrieval.TextExtractor;
import verity.retrieval.TextSplitter;

/**
 * How far can MiniLM's ONNX inference go on this CPU, and with which options? Embeds N chunks of the ingest corpus
 * with ONNX Runtime directly (one thread, no spinning), in [batch, seq] inputs padded to the longest text of each
 * batch (texts sorted by length), mean-pooled with the mask; per configuration and batch size: thread CPU,
 * process CPU and wall ms per chunk, padded tokens per chunk, and the cosine to the server's LocalEmbedder.
 *
 *   java --enable-native-access=ALL-UNNAMED -cp verity.jar bench/OrtBatch.java CORPUS_DIR N run "CONFIG;CONFIG..."
 *   java --enable-native-access=ALL-UNNAMED -cp verity.jar bench/OrtBatch.java CORPUS_DIR N tok
 *
 * CONFIG = MODEL:LEVEL:BATCHES[:OPTION=VALUE...] with MODEL "int8" (the server's model) or the path of another
 * .onnx file, LEVEL NO|BASIC|EXTENDED|ALL (graph optimisation), BATCHES e.g. 1,8,32,64, options arena=false,
 * mempattern=false, threads=2, profile=PREFIX (ONNX Runtime's per-node profile; summarise with
 * bench/ort-profile.py), save=FILE (the optimised graph) or any session config entry (e.g.
 * optimization.enable_gelu_approximation=1). "tok" times the tokenizer: encode() alone, langchain4j's path
 * (tokenize, rebuild the text, tokenize again, encode), the raw JNI calls and batchEncode.
 */
public class OrtBatch {
    static final java.lang.management.ThreadMXBean T = ManagementFactory.getThreadMXBean();
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        String mode = args[2];
        List<String> chunks = new ArrayList<>();
        TextExtractor extractor = new TextExtractor();
        TextSplitter splitter = new TextSplitter(1000, 100);
        List<Path> files;
        try (Stream<Path> s = Files.list(corpus)) { files = s.sorted().toList(); }
        for (Path p : files) {
            String name = p.getFileName().toString();
            String text = extractor.extract(name.substring(name.lastIndexOf('.') + 1), null, Files.readAllBytes(p)).text();
            splitter.split(text).forEach(c -> chunks.add(c.text()));
            if (chunks.size() >= n) break;
        }
        List<String> sample = chunks.subList(0, n);
        ClassLoader cl = OrtBatch.class.getClassLoader();
        HuggingFaceTokenizer tok;
        try (InputStream in = cl.getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            tok = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false"));
        }
        byte[] onnx;
        try (InputStream in = cl.getResourceAsStream("all-minilm-l6-v2-q.onnx")) { onnx = in.readAllBytes(); }
        System.out.println("load " + Files.readString(Path.of("/proc/loadavg")).trim());

        if (mode.equals("tok")) {
            for (int rep = 0; rep < 3; rep++) {
                long c0 = T.getCurrentThreadCpuTime();
                long toks = 0;
                for (String s : sample) toks += tok.encode(s, true, false).getIds().length;
                long c1 = T.getCurrentThreadCpuTime();
                for (String s : sample) { List<String> t = tok.tokenize(s); String b = tok.buildSentence(t.subList(1, t.size()-1)); tok.tokenize(b); tok.encode(b, true, false); }
                long c2 = T.getCurrentThreadCpuTime();
                long r0 = T.getCurrentThreadCpuTime();
                for (String s : sample) { long h = ai.djl.huggingface.tokenizers.jni.TokenizersLibrary.LIB.encode(tok.getHandle(), s, true); ai.djl.huggingface.tokenizers.jni.TokenizersLibrary.LIB.getTokenIds(h); ai.djl.huggingface.tokenizers.jni.TokenizersLibrary.LIB.deleteEncoding(h); }
                System.out.printf("raw LIB.encode+getTokenIds %.3f ms/chunk%n", (T.getCurrentThreadCpuTime() - r0) / 1e6 / n);
                long p0 = OS.getProcessCpuTime();
                tok.batchEncode(sample);
                long p1 = OS.getProcessCpuTime();
                System.out.printf("encode %.3f ms/chunk (mean %.1f tokens); langchain4j path %.3f ms/chunk; batchEncode process cpu %.3f ms/chunk%n",
                        (c1 - c0) / 1e6 / n, toks / (double) n, (c2 - c1) / 1e6 / n, (p1 - p0) / 1e6 / n);
            }
            // round trip mismatch count
            int bad = 0;
            for (String s : sample) {
                List<String> t = tok.tokenize(s);
                List<String> inner = t.subList(1, t.size() - 1);
                String b = tok.buildSentence(inner);
                List<String> re = tok.tokenize(b);
                if (!re.subList(1, re.size() - 1).equals(inner)) bad++;
            }
            System.out.println("round-trip mismatches: " + bad + " of " + n);
            System.exit(0);
        }

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.println("ORT " + env.getVersion());
        LocalEmbedder ref = new LocalEmbedder();
        List<float[]> expected = ref.embed(sample);
        Map<String, byte[]> models = new HashMap<>();
        models.put("int8", onnx);
        for (String cfg : args[3].split(";")) {
            // model:level:batches[:opt=val...]
            String[] p = cfg.split(":");
            byte[] model = models.computeIfAbsent(p[0], k -> { try { return Files.readAllBytes(Path.of(k)); } catch (Exception e) { throw new RuntimeException(e); } });
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setIntraOpNumThreads(1);
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.valueOf(p[1] + "_OPT"));
            for (int i = 3; i < p.length; i++) {
                String[] kv = p[i].split("=", 2);
                switch (kv[0]) {
                    case "arena" -> o.setCPUArenaAllocator(Boolean.parseBoolean(kv[1]));
                    case "mempattern" -> o.setMemoryPatternOptimization(Boolean.parseBoolean(kv[1]));
                    case "threads" -> o.setIntraOpNumThreads(Integer.parseInt(kv[1]));
                    case "profile" -> o.enableProfiling(kv[1]);
                    case "save" -> o.setOptimizedModelFilePath(kv[1]);
                    default -> o.addConfigEntry(kv[0], kv[1]);
                }
            }
            OrtSession session = env.createSession(model, o);
            System.out.println("== " + cfg);
            run(env, session, tok, sample, expected, p[2], mode);
            if (cfg.contains("profile=")) System.out.println("profile " + session.endProfiling());
            session.close();
        }
        System.exit(0);
    }

    static void run(OrtEnvironment env, OrtSession session, HuggingFaceTokenizer tok, List<String> sample, List<float[]> expected, String batches, String mode) throws Exception {
        int n = sample.size();
        boolean types = session.getInputNames().contains("token_type_ids");
        for (String bs : batches.split(",")) {
            int batch = Integer.parseInt(bs);
            Integer[] order = new Integer[n];
            Encoding[] enc = new Encoding[n];
            for (int i = 0; i < n; i++) { order[i] = i; enc[i] = tok.encode(sample.get(i), true, false); }
            if (!mode.equals("nosort")) Arrays.sort(order, Comparator.comparingInt(i -> enc[i].getIds().length));
            float[][] out = new float[n][];
            for (int rep = 0; rep < 2; rep++) {
                long c0 = T.getCurrentThreadCpuTime(), p0 = OS.getProcessCpuTime(), w0 = System.nanoTime();
                long padded = 0, real = 0;
                for (int from = 0; from < n; from += batch) {
                    int b = Math.min(batch, n - from);
                    int len = 0;
                    for (int k = 0; k < b; k++) len = Math.max(len, enc[order[from + k]].getIds().length);
                    long[] ids = new long[b * len], mask = new long[b * len], tt = new long[b * len];
                    for (int k = 0; k < b; k++) {
                        long[] e = enc[order[from + k]].getIds();
                        System.arraycopy(e, 0, ids, k * len, e.length);
                        Arrays.fill(mask, k * len, k * len + e.length, 1L);
                        real += e.length;
                    }
                    padded += (long) b * len;
                    long[] shape = {b, len};
                    try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                         OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                         OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(tt), shape)) {
                        Map<String, OnnxTensor> in = new HashMap<>();
                        in.put("input_ids", a); in.put("attention_mask", m);
                        if (types) in.put("token_type_ids", t);
                        try (OrtSession.Result r = session.run(in)) {
                            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                            int dim = fb.capacity() / (b * len);
                            for (int k = 0; k < b; k++) {
                                int cnt = enc[order[from + k]].getIds().length;
                                float[] v = new float[dim];
                                for (int s = 0; s < cnt; s++) for (int d = 0; d < dim; d++) v[d] += fb.get((k * len + s) * dim + d);
                                for (int d = 0; d < dim; d++) v[d] /= cnt;
                                out[order[from + k]] = Embedder.normalize(v);
                            }
                        }
                    }
                }
                double cpu = (T.getCurrentThreadCpuTime() - c0) / 1e6, pc = (OS.getProcessCpuTime() - p0) / 1e6, wall = (System.nanoTime() - w0) / 1e6;
                if (rep == 1) {
                    double min = 1, sum = 0;
                    for (int i = 0; i < n; i++) { double c = Embedder.cosine(out[i], expected.get(i)); min = Math.min(min, c); sum += c; }
                    System.out.printf("batch %3d: thread cpu %.2f ms/chunk, process cpu %.2f, wall %.2f ms/chunk; padded tokens %.1f/chunk (real %.1f); cosine to LocalEmbedder min %.6f mean %.6f%n",
                        batch, cpu / n, pc / n, wall / n, padded / (double) n, real / (double) n, min, sum / n);
                }
            }
        }
    }
}
