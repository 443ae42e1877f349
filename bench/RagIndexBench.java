import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import verity.retrieval.ChunkIndex;
import verity.retrieval.LuceneChunkIndex;

/**
 * Retrieval at scale: builds a synthetic chunk index with verity.retrieval.LuceneChunkIndex (the server's own
 * class) and measures search latency on it.
 *
 *   java --add-modules jdk.incubator.vector -Xmx4g -cp verity.jar bench/RagIndexBench.java build DIR [files] [chunks_per_file] [max_seconds]
 *   java --add-modules jdk.incubator.vector -Xmx4g -cp verity.jar bench/RagIndexBench.java search DIR [queries] [warmup]
 *
 * Data (deterministic, seed 42): 384-d unit vectors = normalize(centroid + N(0, 0.068^2) per dimension) around
 * 2,000 random unit centroids (cosine to the own centroid ~0.6, as MiniLM neighbours), each file drawing its
 * chunks from 8 clusters; text of 150 words per chunk (~1,000 characters), 70 % from a 50,000-word vocabulary
 * with Zipf(1.0) frequencies and 30 % from the chunk's cluster's 40 topic words (also Zipf-drawn from the
 * vocabulary's middle), so BM25 scores are meaningful and agree roughly with the vectors. Queries: a cluster
 * centroid + noise, text = 2 topic words of that cluster + 2 general words.
 * The build adds files in order with replace(fileId, filename, entries) (one commit per file, as Ingestion does);
 * it stops early after max_seconds and records how many files it indexed (the index stays usable).
 */
public class RagIndexBench {
    static final int DIM = 384;
    static final int CENTROIDS = 2000;
    static final int VOCAB = 50_000;
    static final int TOPIC_WORDS = 40;
    static final int WORDS_PER_CHUNK = 150;
    static final double NOISE = 0.068;

    static final float[][] centroids = new float[CENTROIDS][];
    static final String[] vocab = new String[VOCAB];
    static final int[][] topics = new int[CENTROIDS][TOPIC_WORDS];
    static double[] zipfCdf;

    public static void main(String[] args) throws Exception {
        setup();
        String mode = args[0];
        Path dir = Path.of(args[1]);
        if (mode.equals("build")) {
            build(dir, arg(args, 2, 1000), arg(args, 3, 1000), arg(args, 4, 3600));
        } else {
            search(dir, arg(args, 2, 2000), arg(args, 3, 300));
        }
    }

    static int arg(String[] a, int i, int d) {
        return a.length > i ? Integer.parseInt(a[i]) : d;
    }

    static void setup() {
        SplittableRandom r = new SplittableRandom(42);
        for (int c = 0; c < CENTROIDS; c++) {
            float[] v = new float[DIM];
            for (int i = 0; i < DIM; i++) {
                v[i] = (float) gauss(r);
            }
            centroids[c] = normalize(v);
        }
        // pronounceable pseudo-words, unique
        String[] syl = {"ka", "lo", "mi", "ter", "ran", "so", "vel", "du", "pri", "ne", "sta", "mon", "gra", "li", "cor",
                "ba", "ze", "tu", "quin", "fa", "ro", "den", "shi", "al", "ex", "pla", "vor", "te", "mu", "on"};
        java.util.Set<String> seen = new java.util.HashSet<>();
        int n = 0;
        while (n < VOCAB) {
            int len = 1 + r.nextInt(4);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < len; i++) {
                sb.append(syl[r.nextInt(syl.length)]);
            }
            if (sb.length() >= 3 && seen.add(sb.toString())) {
                vocab[n++] = sb.toString();
            }
        }
        zipfCdf = new double[VOCAB];
        double sum = 0;
        for (int i = 0; i < VOCAB; i++) {
            sum += 1.0 / (i + 1);
            zipfCdf[i] = sum;
        }
        for (int i = 0; i < VOCAB; i++) {
            zipfCdf[i] /= sum;
        }
        for (int c = 0; c < CENTROIDS; c++) {
            for (int t = 0; t < TOPIC_WORDS; t++) {
                topics[c][t] = 500 + r.nextInt(20_000); // mid-frequency words: rarer than stop-like ones
            }
        }
    }

    static double gauss(SplittableRandom r) {
        double u = r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u + 1e-300)) * Math.cos(2 * Math.PI * v);
    }

    static float[] normalize(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    static int zipf(SplittableRandom r) {
        int i = Arrays.binarySearch(zipfCdf, r.nextDouble());
        return Math.min(VOCAB - 1, i < 0 ? -i - 1 : i);
    }

    static float[] near(int c, SplittableRandom r) {
        float[] v = centroids[c].clone();
        for (int i = 0; i < DIM; i++) {
            v[i] += (float) (NOISE * gauss(r));
        }
        return normalize(v);
    }

    static String text(int c, SplittableRandom r) {
        StringBuilder sb = new StringBuilder(1100);
        for (int w = 0; w < WORDS_PER_CHUNK; w++) {
            if (w > 0) {
                sb.append(w % 17 == 0 ? ". " : " ");
            }
            if (r.nextDouble() < 0.3) {
                // topic words, first ones more often
                int t = (int) Math.min(TOPIC_WORDS - 1, Math.floor(-Math.log(1 - r.nextDouble()) * 10));
                sb.append(vocab[topics[c][t]]);
            } else {
                sb.append(vocab[zipf(r)]);
            }
        }
        return sb.append('.').toString();
    }

    static String fileId(int f) {
        return String.format("%08d-bench-file-0000-%012d", f, f);
    }

    static void build(Path dir, int nFiles, int perFile, int maxSeconds) throws Exception {
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        ChunkIndex index = new LuceneChunkIndex(dir);
        long genNs = 0, addNs = 0;
        int done = 0;
        for (int f = 0; f < nFiles; f++) {
            long g0 = System.nanoTime();
            SplittableRandom r = new SplittableRandom(1000L + f);
            int[] clusters = new int[8];
            for (int i = 0; i < clusters.length; i++) {
                clusters[i] = r.nextInt(CENTROIDS);
            }
            List<ChunkIndex.Entry> entries = new ArrayList<>(perFile);
            for (int i = 0; i < perFile; i++) {
                int c = clusters[r.nextInt(clusters.length)];
                entries.add(new ChunkIndex.Entry(i, i * 900, null, text(c, r), near(c, r)));
            }
            long g1 = System.nanoTime();
            index.replace(fileId(f), "file-" + f + ".md", entries);
            long g2 = System.nanoTime();
            genNs += g1 - g0;
            addNs += g2 - g1;
            done++;
            if (done % 50 == 0) {
                System.out.printf("files %d chunks %d elapsed %.0f s (replace %.0f s, generate %.0f s) heap used %d MB%n", done,
                        (long) done * perFile, (g2 - t0) / 1e9, addNs / 1e9, genNs / 1e9, usedMb());
            }
            if ((g2 - t0) / 1e9 > maxSeconds) {
                System.out.println("stopping early: max_seconds reached");
                break;
            }
        }
        long c0 = System.nanoTime();
        index.close(); // waits for running merges
        long c1 = System.nanoTime();
        System.out.printf("BUILD files %d chunks %d replace_total_s %.1f generate_s %.1f close_s %.1f total_s %.1f chunks_per_s %.0f%n",
                done, (long) done * perFile, addNs / 1e9, genNs / 1e9, (c1 - c0) / 1e9, (c1 - t0) / 1e9,
                done * (double) perFile / ((c1 - t0 - genNs) / 1e9));
        Files.writeString(dir.resolveSibling(dir.getFileName() + ".files"), done + " " + perFile + "\n");
        describe(dir);
    }

    static long usedMb() {
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) >> 20;
    }

    static void describe(Path dir) throws IOException {
        long bytes;
        try (Stream<Path> s = Files.list(dir)) {
            bytes = s.mapToLong(p -> p.toFile().length()).sum();
        }
        try (FSDirectory d = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(d)) {
            System.out.printf("INDEX docs %d segments %d size_on_disk_MB %.0f%n", reader.numDocs(), reader.leaves().size(), bytes / 1048576.0);
        }
    }

    static void search(Path dir, int queries, int warmup) throws Exception {
        String[] meta = Files.readString(dir.resolveSibling(dir.getFileName() + ".files")).trim().split(" ");
        int nFiles = Integer.parseInt(meta[0]);
        describe(dir);
        long o0 = System.nanoTime();
        ChunkIndex index = new LuceneChunkIndex(dir);
        System.out.printf("open_ms %.0f chunks %d%n", (System.nanoTime() - o0) / 1e6, index.chunks());
        List<String> all = new ArrayList<>();
        for (int f = 0; f < nFiles; f++) {
            all.add(fileId(f));
        }
        SplittableRandom pick = new SplittableRandom(7);
        // queries: a random cluster, centroid + noise, words from its topic and general words
        int total = warmup + queries;
        float[][] qv = new float[total][];
        String[] qt = new String[total];
        List<List<String>> ten = new ArrayList<>();
        for (int q = 0; q < total; q++) {
            int c = pick.nextInt(CENTROIDS);
            qv[q] = near(c, pick);
            qt[q] = vocab[topics[c][pick.nextInt(5)]] + " " + vocab[topics[c][pick.nextInt(TOPIC_WORDS)]] + " "
                    + vocab[zipf(pick)] + " " + vocab[zipf(pick)];
            List<String> some = new ArrayList<>();
            int start = pick.nextInt(nFiles);
            for (int i = 0; i < 10; i++) {
                some.add(fileId((start + i * 97) % nFiles));
            }
            ten.add(some);
        }
        System.out.printf("search: %d queries after %d warm-up per case, top 5; heap used %d MB; load %s%n", queries, warmup,
                usedMb(), Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.printf("%-28s %8s %8s %8s %8s %8s %10s%n", "case", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms", "cpu_ms/q");
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (double w : new double[] {0.0, 0.5}) {
            for (String scope : new String[] {"all " + nFiles + " files", "10 files"}) {
                double[] ms = new double[queries];
                long cpu0 = 0;
                int hits = 0;
                for (int q = 0; q < total; q++) {
                    if (q == warmup) {
                        cpu0 = bean.getCurrentThreadCpuTime();
                    }
                    List<String> ids = scope.startsWith("all") ? all : ten.get(q);
                    long s0 = System.nanoTime();
                    List<ChunkIndex.Hit> res = index.search(qv[q], qt[q], ids, 5, w);
                    long s1 = System.nanoTime();
                    hits += res.size();
                    if (q >= warmup) {
                        ms[q - warmup] = (s1 - s0) / 1e6;
                    }
                }
                long cpu = bean.getCurrentThreadCpuTime() - cpu0;
                Arrays.sort(ms);
                double mean = Arrays.stream(ms).average().orElse(0);
                System.out.printf("%-28s %8.2f %8.2f %8.2f %8.2f %8.2f %10.2f   (avg hits %.1f)%n",
                        (w == 0 ? "vector" : "hybrid 0.5") + ", " + scope, pct(ms, 0.5), pct(ms, 0.9), pct(ms, 0.99),
                        ms[ms.length - 1], mean, cpu / 1e6 / queries, hits / (double) total);
            }
        }
        System.out.printf("heap used after %d MB, max %d MB%n", usedMb(), Runtime.getRuntime().maxMemory() >> 20);
        index.close();
    }

    static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
