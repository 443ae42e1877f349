import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import verity.retrieval.ChunkIndex;
import verity.retrieval.LocalEmbedder;
import verity.retrieval.LuceneChunkIndex;
import verity.retrieval.TextExtractor;
import verity.retrieval.TextSplitter;

/**
 * The ingest pipeline's stages in isolation, with the server's own classes, on the ingest corpus: extract every
 * file, split it (1000/100), embed the chunks with LocalEmbedder (MiniLM) in lists of each batch size given, and
 * index them with LuceneChunkIndex in a temporary directory (one replace per file). Per stage: wall time,
 * process CPU time (all threads, OperatingSystemMXBean) and chunks/s.
 *
 *   java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -cp verity.jar bench/RagStages.java CORPUS_DIR [max_chunks] [batch sizes...]
 *
 * Batch size 1 calls embed() once per chunk (the ONNX run on the calling thread, as for a query); larger lists go
 * through langchain4j's embedAll, which runs one ONNX inference per text on a pool of availableProcessors threads.
 */
public class RagStages {
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        int maxChunks = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        List<Integer> batches = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            batches.add(Integer.parseInt(args[i]));
        }
        if (batches.isEmpty()) {
            batches = List.of(1, 8, 32, 128);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(corpus)) {
            files = s.sorted().toList();
        }
        System.out.printf("cpus %d, load %s%n", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim());

        TextExtractor extractor = new TextExtractor();
        TextSplitter splitter = new TextSplitter(1000, 100);
        // extract + split, twice (the first pass warms up PDFBox and the JIT), timed on the second
        List<String> names = new ArrayList<>();
        List<List<TextSplitter.Chunk>> perFile = new ArrayList<>();
        long bytes = 0;
        double[] ex = new double[2], sp = new double[2];
        for (int pass = 0; pass < 2; pass++) {
            perFile.clear();
            names.clear();
            for (Path p : files) {
                byte[] data = Files.readAllBytes(p);
                bytes += pass == 1 ? data.length : 0;
                String name = p.getFileName().toString();
                String ext = name.substring(name.lastIndexOf('.') + 1);
                long c0 = OS.getProcessCpuTime();
                String text = extractor.extract(ext, null, data).text();
                long c1 = OS.getProcessCpuTime();
                List<TextSplitter.Chunk> chunks = splitter.split(text);
                long c2 = OS.getProcessCpuTime();
                ex[pass] += (c1 - c0) / 1e6;
                sp[pass] += (c2 - c1) / 1e6;
                names.add(name);
                perFile.add(chunks);
            }
        }
        List<String> all = new ArrayList<>();
        perFile.forEach(l -> l.forEach(c -> all.add(c.text())));
        double avgLen = all.stream().mapToInt(String::length).average().orElse(0);
        System.out.printf("corpus: %d files, %.2f MB, %d chunks (mean %.0f chars)%n", files.size(), bytes / 1e6, all.size(), avgLen);
        System.out.printf("STAGE extract  cpu %.0f ms total, %.3f ms/chunk (second pass)%n", ex[1], ex[1] / all.size());
        System.out.printf("STAGE split    cpu %.0f ms total, %.3f ms/chunk%n", sp[1], sp[1] / all.size());

        LocalEmbedder embedder = new LocalEmbedder();
        long l0 = System.nanoTime();
        embedder.embed(List.of("warm up: load the model"));
        System.out.printf("model load + first embedding %.0f ms%n", (System.nanoTime() - l0) / 1e6);
        List<String> sample = all.subList(0, Math.min(maxChunks, all.size()));
        embedder.embed(sample.subList(0, Math.min(64, sample.size()))); // JIT / ONNX warm-up
        List<float[]> vectors = null;
        for (int batch : batches) {
            long t0 = System.nanoTime(), c0 = OS.getProcessCpuTime();
            List<float[]> out = new ArrayList<>();
            for (int from = 0; from < sample.size(); from += batch) {
                List<String> b = sample.subList(from, Math.min(sample.size(), from + batch));
                if (batch == 1) {
                    out.add(embedder.embed(b.getFirst()));
                } else {
                    out.addAll(embedder.embed(b));
                }
            }
            double s = (System.nanoTime() - t0) / 1e9, cpu = (OS.getProcessCpuTime() - c0) / 1e9;
            System.out.printf("STAGE embed batch=%-4d %d chunks in %.1f s: %.1f chunks/s, cpu %.1f ms/chunk, cores busy %.2f%n",
                    batch, sample.size(), s, sample.size() / s, 1000 * cpu / sample.size(), cpu / s);
            vectors = out;
        }

        // index: the embedded sample's vectors reused for every chunk, one replace (commit) per file
        Path dir = Files.createTempDirectory("rag-stages-index");
        try (ChunkIndex index = new LuceneChunkIndex(dir)) {
            for (int pass = 0; pass < 2; pass++) {
                long t0 = System.nanoTime(), c0 = OS.getProcessCpuTime();
                int n = 0;
                for (int f = 0; f < perFile.size(); f++) {
                    List<ChunkIndex.Entry> entries = new ArrayList<>();
                    for (TextSplitter.Chunk c : perFile.get(f)) {
                        entries.add(new ChunkIndex.Entry(c.index(), c.start(), null, c.text(), vectors.get(n++ % vectors.size())));
                    }
                    index.replace("file-" + f, names.get(f), entries);
                }
                double s = (System.nanoTime() - t0) / 1e9, cpu = (OS.getProcessCpuTime() - c0) / 1e9;
                System.out.printf("STAGE index pass %d: %d chunks, %d files, %.1f s, %.0f chunks/s, cpu %.2f ms/chunk%n",
                        pass + 1, n, perFile.size(), s, n / s, 1000 * cpu / n);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0); // langchain4j's pool threads
    }
}
