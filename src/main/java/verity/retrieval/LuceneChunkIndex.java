package verity.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * One Lucene index under {@code DATA_DIR/vector_db}: per chunk a HNSW vector (dot product of unit vectors =
 * cosine) and the text for BM25, with the file id as a filter. Writes are committed before they return.
 */
public final class LuceneChunkIndex implements ChunkIndex {
    /** Candidates taken from each ranking before fusing; HNSW recall is near 1 at this depth. */
    private static final int CANDIDATES = 50;
    /** Reciprocal-rank-fusion constant. */
    private static final int RRF_K = 60;

    private final Analyzer analyzer = new StandardAnalyzer();
    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;

    public LuceneChunkIndex(Path dir) {
        try {
            directory = FSDirectory.open(dir);
            writer = new IndexWriter(directory, new IndexWriterConfig(analyzer).setRAMBufferSizeMB(64));
            searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the chunk index at " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void replace(String fileId, String filename, List<Entry> entries) {
        List<Document> docs = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Document doc = new Document();
            doc.add(new StringField("id", fileId + ":" + e.index(), Field.Store.NO));
            doc.add(new StringField("file_id", fileId, Field.Store.YES));
            doc.add(new StoredField("filename", filename));
            doc.add(new StoredField("index", e.index()));
            doc.add(new StoredField("start", e.start()));
            if (e.page() != null) {
                doc.add(new StoredField("page", e.page()));
            }
            doc.add(new TextField("text", e.text(), Field.Store.YES));
            doc.add(new KnnFloatVectorField("vector", e.vector(), VectorSimilarityFunction.DOT_PRODUCT));
            docs.add(doc);
        }
        try {
            writer.updateDocuments(new Term("file_id", fileId), docs);
            commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void remove(String fileId) {
        try {
            writer.deleteDocuments(new Term("file_id", fileId));
            commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void commit() throws IOException {
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    @Override
    public List<Hit> search(float[] query, String text, Collection<String> fileIds, int k, double bm25Weight) {
        if (fileIds.isEmpty() || k < 1) {
            return List.of();
        }
        Query files = new TermInSetQuery("file_id", fileIds.stream().map(BytesRef::new).toList());
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                int depth = Math.max(k, CANDIDATES);
                ScoreDoc[] byVector = searcher.search(new KnnFloatVectorQuery("vector", query, depth, files), depth).scoreDocs;
                Map<Integer, Double> cosine = new HashMap<>();
                for (ScoreDoc d : byVector) {
                    cosine.put(d.doc, 2.0 * d.score - 1.0); // Lucene scores dot products as (1 + dot) / 2
                }
                List<Integer> order;
                if (bm25Weight > 0) {
                    Query words = words(text);
                    ScoreDoc[] byWords = words == null ? new ScoreDoc[0]
                            : searcher.search(new BooleanQuery.Builder().add(words, BooleanClause.Occur.MUST)
                                    .add(files, BooleanClause.Occur.FILTER).build(), depth).scoreDocs;
                    order = fuse(byVector, byWords, bm25Weight);
                } else {
                    order = new ArrayList<>();
                    for (ScoreDoc d : byVector) {
                        order.add(d.doc);
                    }
                }
                order = order.subList(0, Math.min(k, order.size()));
                scoreMissing(searcher, query, order, cosine);
                List<Hit> hits = new ArrayList<>();
                for (int doc : order) {
                    Document stored = searcher.storedFields().document(doc);
                    hits.add(new Hit(stored.get("file_id"), stored.get("filename"), stored.getField("index").numericValue().intValue(),
                            stored.getField("start").numericValue().intValue(),
                            stored.getField("page") == null ? null : stored.getField("page").numericValue().intValue(),
                            stored.get("text"), cosine.getOrDefault(doc, 0.0)));
                }
                return hits;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Weighted reciprocal-rank fusion: each ranking contributes weight / (60 + rank). */
    private static List<Integer> fuse(ScoreDoc[] byVector, ScoreDoc[] byWords, double bm25Weight) {
        Map<Integer, Double> fused = new LinkedHashMap<>();
        for (int i = 0; i < byVector.length; i++) {
            fused.merge(byVector[i].doc, (1 - bm25Weight) / (RRF_K + i + 1), Double::sum);
        }
        for (int i = 0; i < byWords.length; i++) {
            fused.merge(byWords[i].doc, bm25Weight / (RRF_K + i + 1), Double::sum);
        }
        return fused.entrySet().stream().sorted(Map.Entry.<Integer, Double>comparingByValue().reversed())
                .map(Map.Entry::getKey).toList();
    }

    /** Cosine similarity for chunks found only by their words: an exact vector search restricted to them. */
    private static void scoreMissing(IndexSearcher searcher, float[] query, List<Integer> docs, Map<Integer, Double> cosine)
            throws IOException {
        List<Integer> missing = docs.stream().filter(d -> !cosine.containsKey(d)).toList();
        if (missing.isEmpty()) {
            return;
        }
        List<BytesRef> ids = new ArrayList<>();
        for (int doc : missing) {
            Document stored = searcher.storedFields().document(doc, java.util.Set.of("file_id", "index"));
            ids.add(new BytesRef(stored.get("file_id") + ":" + stored.getField("index").numericValue().intValue()));
        }
        Query only = new TermInSetQuery("id", ids);
        for (ScoreDoc d : searcher.search(new KnnFloatVectorQuery("vector", query, missing.size(), only), missing.size()).scoreDocs) {
            cosine.put(d.doc, 2.0 * d.score - 1.0);
        }
    }

    /** Any of the query's words (BM25 ranks the matches), or null when it has none. */
    private Query words(String text) {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        int n = 0;
        try (TokenStream tokens = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken() && n < 512) {
                any.add(new TermQuery(new Term("text", term.toString())), BooleanClause.Occur.SHOULD);
                n++;
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n == 0 ? null : any.build();
    }

    @Override
    public long chunks() {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().numDocs();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
