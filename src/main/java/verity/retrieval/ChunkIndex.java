package verity.retrieval;

import java.util.Collection;
import java.util.List;

/**
 * Chunks of files with their vectors and words, searched by vector, by BM25, or both. Lucene implements it in
 * this process; a shared store (pgvector) can implement it for several replicas.
 */
public interface ChunkIndex extends AutoCloseable {

    record Entry(int index, int start, Integer page, String text, float[] vector) {}

    /** A chunk found; {@code score} is the cosine similarity between the query and the chunk. */
    record Hit(String fileId, String filename, int index, int start, Integer page, String text, double score) {}

    /** Replaces every chunk of the file at once (readers see the old chunks or the new ones). */
    void replace(String fileId, String filename, List<Entry> entries);

    void remove(String fileId);

    /**
     * The {@code k} best chunks among the given files: by vector similarity, or with {@code bm25Weight} > 0 by
     * reciprocal-rank fusion of the vector and BM25 rankings.
     */
    List<Hit> search(float[] query, String text, Collection<String> fileIds, int k, double bm25Weight);

    long chunks();

    @Override
    void close();
}
