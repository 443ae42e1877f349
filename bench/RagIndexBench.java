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
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.store.FSDirectory;
import verity.retrieval.ChunkIndex;
import verity.retrieval.LuceneChunkIndex;

/**
 * Retrieval at scale: builds a synthetic chunk index with verity.retrieval.LuceneChunkIndex (the server's own
 * class) and measures search latency on it.
 *
 *   java --add-modules jdk.incubator.vector -Xmx4g -cp verity.jar bench/RagIndexBench.java build DIR [files] [chunks_per_file] [max_seconds] [first_file]
 *   java --add-modules jdk.incubator.vector -Xmx4g -cp verity.jar bench/RagIndexBench.java search DIR [queries] [warmup]
 *   java --add-modules jdk.incubator.vector -Xmx4g -cp verity.jar bench/RagIndexBench.java scoremissing DIR [queries] [warmup]
 *
 * Data (deterministic, seed 42): 384-d unit vectors = normalize(centroid + N(0, 0.068^2) per dimension) around
 * 2,000 random unit centroids (cosine to the own centroid ~0.6, as MiniLM neighbours), each file drawing its
 * chunks from 8 clusters; text of 150 words per chunk (~1,000 characters), 70 % from a 50,000-word vocabulary
 * with Zipf(1.0) frequencies and 30 % from the chunk's cluster's 40 topic words (also Zipf-drawn from the
 * vocabulary's middle), so BM25 scores are meaningful and agree roughly with the vectors. Queries: a cluster
 * centroid + noise, text = 2 topic words of that cluster + 2 general words.
 * The build adds files in order with replace(fileId, filename, entries) (one commit per file, as Ingestion does);
 * it stops early after max_seconds and records how many files it indexed (the index stays usable); first_file > 0
 * continues such an index with the files from first_file on.
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
            build(dir, arg(args, 2, 1000), arg(args, 3, 1000), arg(args, 4, 3600), arg(args, 5, 0));
        } else if (mode.equals("scoremissing")) {
            scoreMissingCost(dir, arg(args, 2, 1000), arg(args, 3, 200));
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

    static void build(Path dir, int nFiles, int perFile, int maxSeconds, int firstFile) throws Exception {
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        ChunkIndex index = new LuceneChunkIndex(dir);
        long genNs = 0, addNs = 0;
        int done = 0;
        for (int f = firstFile; f < nFiles; f++) {
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
        Files.writeString(dir.resolveSibling(dir.getFileName() + ".files"), (firstFile + done) + " " + perFile + "\n");
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
        List<String> all = allFileIds(nFiles);
        int total = warmup + queries;
        Queries qs = queries(total, nFiles);
        float[][] qv = qs.vectors();
        String[] qt = qs.texts();
        List<List<String>> ten = qs.tenFiles();
        System.out.printf("search: %d queries after %d warm-up per case, top 5; heap used %d MB; load %s%n", queries, warmup,
                usedMb(), Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("wall = elapsed time of the call; cpu = CPU time of the calling thread (the search is single-threaded),");
        System.out.println("the latency it would have on an idle core; both in ms over the measured queries");
        header();
        for (double w : new double[] {0.0, 0.5}) {
            for (String scope : new String[] {"all " + nFiles + " files", "10 files"}) {
                int[] hits = new int[1];
                measure((w == 0 ? "vector" : "hybrid 0.5") + ", " + scope, warmup, queries, q -> {
                    List<String> ids = scope.startsWith("all") ? all : ten.get(q);
                    hits[0] += index.search(qv[q], qt[q], ids, 5, w).size();
                });
                if (hits[0] != 5 * total) {
                    System.out.println("  (some queries found fewer than 5 hits: " + hits[0] + ")");
                }
            }
        }
        System.out.printf("heap used after %d MB, max %d MB%n", usedMb(), Runtime.getRuntime().maxMemory() >> 20);
        index.close();
        lucene(dir, all, qv, qt, warmup, queries);
    }

    /** The parts of a search in plain Lucene: the k=50 vector query with and without the file filter, BM25 alone. */
    static void lucene(Path dir, List<String> all, float[][] qv, String[] qt, int warmup, int queries) throws IOException {
        try (FSDirectory d = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(d)) {
            IndexSearcher searcher = new IndexSearcher(reader);
            Query filter = new TermInSetQuery("file_id", all.stream().map(BytesRef::new).toList());
            System.out.println("plain Lucene (same index, k = 50 candidates as LuceneChunkIndex uses):");
            header();
            for (String c : new String[] {"knn50 no filter", "knn50 filter all files", "bm25 top50 no filter", "bm25 top50 filter all files",
                    "filter bitset only (count)"}) {
                measure(c, warmup, queries, q -> {
                    switch (c) {
                        case "knn50 no filter" -> searcher.search(new KnnFloatVectorQuery("vector", qv[q], 50), 50);
                        case "knn50 filter all files" -> searcher.search(new KnnFloatVectorQuery("vector", qv[q], 50, filter), 50);
                        case "bm25 top50 no filter" -> searcher.search(words(qt[q]), 50);
                        case "bm25 top50 filter all files" -> searcher.search(new BooleanQuery.Builder()
                                .add(words(qt[q]), BooleanClause.Occur.MUST).add(filter, BooleanClause.Occur.FILTER).build(), 50);
                        default -> searcher.count(filter);
                    }
                });
            }
        }
    }

    interface Search {
        void run(int q) throws IOException;
    }

    static void header() {
        System.out.printf("%-28s %8s %8s %8s %8s %8s %8s %8s %8s%n", "case", "wall_p50", "wall_p90", "wall_p99", "wall_max",
                "cpu_p50", "cpu_p90", "cpu_p99", "cpu_mean");
    }

    static void measure(String name, int warmup, int queries, Search s) throws IOException {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double[] wall = new double[queries], cpu = new double[queries];
        for (int q = 0; q < warmup + queries; q++) {
            long c0 = bean.getCurrentThreadCpuTime(), s0 = System.nanoTime();
            s.run(q);
            long s1 = System.nanoTime(), c1 = bean.getCurrentThreadCpuTime();
            if (q >= warmup) {
                wall[q - warmup] = (s1 - s0) / 1e6;
                cpu[q - warmup] = (c1 - c0) / 1e6;
            }
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf("%-28s %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f%n", name, pct(wall, 0.5), pct(wall, 0.9),
                pct(wall, 0.99), wall[wall.length - 1], pct(cpu, 0.5), pct(cpu, 0.9), pct(cpu, 0.99), Arrays.stream(cpu).average().orElse(0));
    }

    static List<String> allFileIds(int nFiles) {
        List<String> all = new ArrayList<>();
        for (int f = 0; f < nFiles; f++) {
            all.add(fileId(f));
        }
        return all;
    }

    record Queries(float[][] vectors, String[] texts, List<List<String>> tenFiles) {}

    /**
     * The same query stream for every measurement: a random cluster, centroid + noise, words from its topic and
     * general words, and ten files spread over the index.
     */
    static Queries queries(int total, int nFiles) {
        SplittableRandom pick = new SplittableRandom(7);
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
        return new Queries(qv, qt, ten);
    }

    /**
     * Finding 1 in RAG.md: LuceneChunkIndex's hybrid search re-implemented step by step on a plain reader (same
     * queries, filter = all files, k = 5, weight 0.5), with the exact cosine of BM25-only hits computed for the
     * whole fused list (as the server does) or only for the k returned.
     */
    static void scoreMissingCost(Path dir, int queries, int warmup) throws IOException {
        String[] meta = Files.readString(dir.resolveSibling(dir.getFileName() + ".files")).trim().split(" ");
        int nFiles = Integer.parseInt(meta[0]);
        List<String> all = allFileIds(nFiles);
        int total = warmup + queries;
        Queries qs = queries(total, nFiles);
        float[][] qv = qs.vectors();
        String[] qt = qs.texts();
        try (FSDirectory d = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(d)) {
            IndexSearcher searcher = new IndexSearcher(reader);
            System.out.printf("hybrid 0.5, all files, k 5, step by step; load %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
            header();
            int[] missingAll = new int[1], missingTop = new int[1];
            for (boolean topOnly : new boolean[] {false, true}) {
                measure(topOnly ? "cosines for the top 5 only" : "cosines for the whole fused list", warmup, queries, q -> {
                    Query files = new TermInSetQuery("file_id", all.stream().map(BytesRef::new).toList());
                    ScoreDoc[] byVector = searcher.search(new KnnFloatVectorQuery("vector", qv[q], 50, files), 50).scoreDocs;
                    java.util.Set<Integer> scored = new java.util.HashSet<>();
                    for (ScoreDoc sd : byVector) {
                        scored.add(sd.doc);
                    }
                    ScoreDoc[] byWords = searcher.search(new BooleanQuery.Builder().add(words(qt[q]), BooleanClause.Occur.MUST)
                            .add(files, BooleanClause.Occur.FILTER).build(), 50).scoreDocs;
                    java.util.Map<Integer, Double> fused = new java.util.LinkedHashMap<>();
                    for (int i = 0; i < byVector.length; i++) {
                        fused.merge(byVector[i].doc, 0.5 / (60 + i + 1), Double::sum);
                    }
                    for (int i = 0; i < byWords.length; i++) {
                        fused.merge(byWords[i].doc, 0.5 / (60 + i + 1), Double::sum);
                    }
                    List<Integer> order = fused.entrySet().stream().sorted(java.util.Map.Entry.<Integer, Double>comparingByValue().reversed())
                            .map(java.util.Map.Entry::getKey).toList();
                    List<Integer> top = order.subList(0, Math.min(5, order.size()));
                    List<Integer> missing = (topOnly ? top : order).stream().filter(x -> !scored.contains(x)).toList();
                    (topOnly ? missingTop : missingAll)[0] += missing.size();
                    if (!missing.isEmpty()) {
                        List<BytesRef> ids = new ArrayList<>();
                        for (int doc : missing) {
                            org.apache.lucene.document.Document stored = searcher.storedFields().document(doc);
                            ids.add(new BytesRef(stored.get("file_id") + ":" + stored.getField("index").numericValue().intValue()));
                        }
                        searcher.search(new KnnFloatVectorQuery("vector", qv[q], missing.size(), new TermInSetQuery("id", ids)), missing.size());
                    }
                    for (int doc : top) {
                        searcher.storedFields().document(doc);
                    }
                });
            }
            System.out.printf("BM25-only docs scored per query: whole list %.1f, top 5 only %.1f%n",
                    missingAll[0] / (double) total, missingTop[0] / (double) total);
        }
    }

    /** Any of the words (the query text is already lower-case words separated by spaces), like LuceneChunkIndex. */
    static Query words(String text) {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (String w : text.split(" ")) {
            any.add(new TermQuery(new Term("text", w)), BooleanClause.Occur.SHOULD);
        }
        return any.build();
    }

    static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
