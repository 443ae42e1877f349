import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.stream.Stream;
import verity.retrieval.ChunkIndex;
import verity.retrieval.Embedder;
import verity.retrieval.LuceneChunkIndex;
import verity.retrieval.TextExtractor;
import verity.retrieval.TextSplitter;

/**
 * Lucene indexing cost per chunk without the model: the ingest corpus split as the server does, each chunk with a
 * random unit vector, LuceneChunkIndex.replace once per file (one commit each) into a fresh index, PASSES times.
 *
 *   java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -cp verity.jar bench/IndexCost.java CORPUS_DIR PASSES
 */
public class IndexCost {
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        List<Path> files;
        try (Stream<Path> s = Files.list(corpus)) { files = s.sorted().toList(); }
        TextExtractor extractor = new TextExtractor();
        TextSplitter splitter = new TextSplitter(1000, 100);
        Random rnd = new Random(1);
        List<List<ChunkIndex.Entry>> perFile = new ArrayList<>();
        int total = 0;
        for (Path p : files) {
            String name = p.getFileName().toString();
            String text = extractor.extract(name.substring(name.lastIndexOf('.') + 1), null, Files.readAllBytes(p)).text();
            List<ChunkIndex.Entry> es = new ArrayList<>();
            for (TextSplitter.Chunk c : splitter.split(text)) {
                float[] v = new float[384];
                for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
                es.add(new ChunkIndex.Entry(c.index(), c.start(), null, c.text(), Embedder.normalize(v)));
            }
            total += es.size();
            perFile.add(es);
        }
        System.out.println(total + " chunks; load " + Files.readString(Path.of("/proc/loadavg")).trim());
        for (int rep = 0; rep < Integer.parseInt(args[1]); rep++) {
            Path dir = Files.createTempDirectory("index-cost");
            long c0 = OS.getProcessCpuTime(), w0 = System.nanoTime();
            try (LuceneChunkIndex index = new LuceneChunkIndex(dir)) {
                for (int f = 0; f < perFile.size(); f++) index.replace("file-" + f, "f" + f, perFile.get(f));
                long c1 = OS.getProcessCpuTime(), w1 = System.nanoTime();
                System.out.printf("pass %d: cpu %.2f ms/chunk, wall %.2f ms/chunk%n", rep, (c1 - c0) / 1e6 / total, (w1 - w0) / 1e6 / total);
            }
            long c2 = OS.getProcessCpuTime();
            System.out.printf("   incl. close (merges): cpu %.2f ms/chunk%n", (c2 - c0) / 1e6 / total);
        }
        System.exit(0);
    }
}
