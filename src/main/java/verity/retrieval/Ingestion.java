package verity.retrieval;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import verity.files.FileIndexing;
import verity.files.FileNames;
import verity.files.FileStorage;
import verity.files.FileStore;
import verity.files.StoredFile;

/**
 * Turns a stored file into indexed chunks in the background: extract (unless the text was replaced by hand),
 * split, embed in batches, index; then mark it completed, or failed with the reason. Files are processed in
 * upload order, a file being indexed while the next one is embedded. The upload itself is never touched. Files
 * still pending at start-up (the server stopped mid-way) are queued again.
 */
public final class Ingestion implements FileIndexing, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ingestion.class);

    private final FileStore files;
    private final FileStorage storage;
    private final TextExtractor extractor;
    private final TextSplitter splitter;
    private final Embedder embedder;
    private final ChunkIndex index;
    private final int batchSize;
    private final Clock clock;
    /** Embeds one file at a time (the embedder spreads a batch over every core) ... */
    private final ExecutorService worker = thread("ingestion");
    /** ... while the file before it is indexed. */
    private final ExecutorService indexer = thread("indexing");
    /** The indexing of the last file embedded; only the worker thread touches it. */
    private CompletableFuture<Void> indexed = CompletableFuture.completedFuture(null);
    private final Map<String, Map<String, Object>> progress = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

    public Ingestion(FileStore files, FileStorage storage, TextExtractor extractor, TextSplitter splitter,
                     Embedder embedder, ChunkIndex index, int batchSize, Clock clock) {
        this.files = files;
        this.storage = storage;
        this.extractor = extractor;
        this.splitter = splitter;
        this.embedder = embedder;
        this.index = index;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    public void resumePending() {
        List<String> pending = files.idsWithStatus(StoredFile.PENDING);
        if (!pending.isEmpty()) {
            LOG.info("queueing {} file(s) left pending by the last run", pending.size());
            pending.forEach(this::submit);
        }
    }

    @Override
    public void submit(String fileId) {
        queue(fileId);
    }

    /** Queues the file and returns when it has been processed (successfully or not). */
    public CompletableFuture<Void> queue(String fileId) {
        progress.put(fileId, Map.of("stage", "queued"));
        CompletableFuture<Void> done = new CompletableFuture<>();
        running.put(fileId, done);
        done.whenComplete((v, e) -> running.remove(fileId, done));
        worker.execute(() -> {
            try {
                process(fileId, done);
            } catch (Throwable e) {
                progress.remove(fileId);
                done.completeExceptionally(e);
                throw e;
            }
        });
        return done;
    }

    @Override
    public void remove(String fileId) {
        index.remove(fileId);
    }

    @Override
    public Map<String, Object> progress(String fileId) {
        return progress.get(fileId);
    }

    private record Embedded(String fileId, String filename, List<ChunkIndex.Entry> entries) {}

    /** Extracts, splits and embeds the file, then hands it to the indexer once the file before it is indexed. */
    private void process(String fileId, CompletableFuture<Void> done) {
        Embedded embedded = embed(fileId);
        indexed.handle((v, e) -> null).join(); // one file indexed while the next is embedded, no more held in memory
        if (embedded == null) {
            progress.remove(fileId);
            done.complete(null);
            return;
        }
        indexed = CompletableFuture.runAsync(() -> index(embedded), indexer)
                .whenComplete((v, e) -> {
                    progress.remove(fileId);
                    done.complete(null);
                });
    }

    /** The file's chunks with their vectors, or null when it is gone or failed (then marked failed). */
    private Embedded embed(String fileId) {
        try {
            StoredFile file = files.find(fileId).orElse(null);
            if (file == null) {
                return null; // deleted while queued
            }
            String text = files.content(fileId).orElse(null);
            List<Integer> pages = List.of();
            if (text == null) {
                stage(fileId, "extracting", 0, 0);
                TextExtractor.Extracted extracted = extract(file);
                text = extracted.text();
                pages = extracted.pageStarts();
                files.setContent(fileId, text, clock.instant().getEpochSecond());
            }
            List<TextSplitter.Chunk> chunks = splitter.split(text);
            List<ChunkIndex.Entry> entries = new ArrayList<>(chunks.size());
            for (int from = 0; from < chunks.size(); from += batchSize) {
                stage(fileId, "embedding", from, chunks.size());
                List<TextSplitter.Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + batchSize));
                List<float[]> vectors = embedder.embed(batch.stream().map(TextSplitter.Chunk::text).toList());
                for (int i = 0; i < batch.size(); i++) {
                    TextSplitter.Chunk c = batch.get(i);
                    entries.add(new ChunkIndex.Entry(c.index(), c.start(), page(pages, c.start()), c.text(), vectors.get(i)));
                }
            }
            stage(fileId, "indexing", chunks.size(), chunks.size());
            return new Embedded(fileId, file.filename(), entries);
        } catch (TextExtractor.Unreadable e) {
            fail(fileId, e.getMessage());
        } catch (RuntimeException | IOException e) {
            LOG.warn("processing file {} failed", fileId, e);
            fail(fileId, "Processing failed: " + e.getMessage());
        }
        return null;
    }

    private void index(Embedded embedded) {
        String fileId = embedded.fileId();
        try {
            if (files.find(fileId).isEmpty()) {
                return; // deleted while being processed: index nothing
            }
            index.replace(fileId, embedded.filename(), embedded.entries());
            files.setStatus(fileId, StoredFile.COMPLETED, null, clock.instant().getEpochSecond());
        } catch (RuntimeException e) {
            LOG.warn("indexing file {} failed", fileId, e);
            fail(fileId, "Processing failed: " + e.getMessage());
        }
    }

    private TextExtractor.Extracted extract(StoredFile file) throws IOException, TextExtractor.Unreadable {
        byte[] bytes;
        try (InputStream in = storage.open(file.storageKey())) {
            bytes = in.readAllBytes();
        }
        return extractor.extract(FileNames.extension(file.filename()), file.contentType(), bytes);
    }

    /** 1-based page of a chunk that starts at {@code offset}, or null for formats without pages. */
    private static Integer page(List<Integer> pageStarts, int offset) {
        if (pageStarts.isEmpty()) {
            return null;
        }
        int page = 0;
        while (page + 1 < pageStarts.size() && pageStarts.get(page + 1) <= offset) {
            page++;
        }
        return page + 1;
    }

    private void stage(String fileId, String stage, int done, int total) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("stage", stage);
        p.put("chunks_done", done);
        p.put("chunks_total", total);
        progress.put(fileId, p);
    }

    private void fail(String fileId, String reason) {
        try {
            files.setStatus(fileId, StoredFile.FAILED, reason, clock.instant().getEpochSecond());
        } catch (RuntimeException e) {
            LOG.warn("could not mark file {} failed: {}", fileId, e.getMessage());
        }
    }

    /** Waits for the file's current processing, if any. */
    public void await(String fileId) {
        CompletableFuture<Void> f = running.get(fileId);
        if (f != null) {
            f.join();
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        indexer.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
            indexer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ExecutorService thread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
