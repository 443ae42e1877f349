package verity.retrieval;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static verity.http.Access.USER;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import verity.auth.Principal;
import verity.config.Rag;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Route;
import verity.users.User;

/** /api/retrieval/* (seed) and /api/v1/retrieval/* (Open WebUI). */
public final class RetrievalRoutes {
    private static final String TAG = "retrieval";
    private static final int MAX_QUERY = 10_000;
    private static final int MAX_IDS = 1_000;
    private final RetrievalService retrieval;

    public RetrievalRoutes(RetrievalService retrieval) {
        this.retrieval = retrieval;
    }

    public List<Route> routes() {
        return List.of(
                Route.api(GET, "/retrieval/", USER, TAG, "Retrieval settings and index size", this::settings),
                Route.api(POST, "/retrieval/query", USER, TAG, "Seed search: {query, knowledge_ids, file_ids?, top_k?, hybrid?} → {results:[{content, score, metadata}]}", this::query)
                        .body(Map.of("query", "string", "knowledge_ids", "array?", "file_ids", "array?", "top_k", "integer?", "hybrid", "boolean?")),
                Route.api(POST, "/retrieval/query/doc", USER, TAG, "Search one collection (file-<id> or a knowledge id); Chroma-shaped answer", this::queryDoc)
                        .body(Map.of("collection_name", "string", "query", "string", "k", "integer?", "r", "number?", "hybrid", "boolean?")),
                Route.api(POST, "/retrieval/query/collection", USER, TAG, "Search several collections; Chroma-shaped answer", this::queryCollections)
                        .body(Map.of("collection_names", "array", "query", "string", "k", "integer?", "r", "number?", "hybrid", "boolean?")),
                Route.api(POST, "/retrieval/process", USER, TAG, "Process a file now (optionally with replaced text) and add it to a knowledge collection", this::process)
                        .alias("/api/v1/retrieval/process/file")
                        .body(Map.of("file_id", "string", "knowledge_id", "string?", "collection_name", "string?", "content", "string?")),
                Route.api(POST, "/retrieval/process/text", USER, TAG, "Index text as a new file, optionally in a knowledge collection", this::processText)
                        .body(Map.of("name", "string", "content", "string", "collection_name", "string?")));
    }

    private static User user(Context ctx) {
        return Principal.of(ctx).user();
    }

    private void settings(Context ctx) {
        Rag rag = retrieval.settings();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", true);
        s.put("CHUNK_SIZE", rag.chunkSize());
        s.put("CHUNK_OVERLAP", rag.chunkOverlap());
        s.put("RAG_TEMPLATE", RagAugmenter.template(rag));
        s.put("RAG_EMBEDDING_ENGINE", rag.embeddingEngine());
        s.put("RAG_EMBEDDING_MODEL", rag.embeddingModel());
        s.put("RAG_TOP_K", rag.topK());
        s.put("RAG_RELEVANCE_THRESHOLD", rag.relevanceThreshold());
        s.put("ENABLE_RAG_HYBRID_SEARCH", rag.hybrid());
        s.put("RAG_HYBRID_BM25_WEIGHT", rag.bm25Weight());
        s.put("FILE_MAX_SIZE", rag.fileMaxSize() >> 20);
        s.put("RAG_ALLOWED_FILE_EXTENSIONS", rag.allowedExtensions());
        s.put("indexed_chunks", retrieval.chunks());
        ctx.json(s);
    }

    private record Request(String query, Integer k, Double r, Boolean hybrid) {}

    private Request common(Form f, String kField) {
        String query = f.requiredString("query", MAX_QUERY);
        return new Request(query, f.optionalInt(kField, 1, 1000), f.optionalNumber("r", -1, 1), f.optionalBoolean("hybrid"));
    }

    private void query(Context ctx) {
        Form f = Form.of(ctx);
        Request q = common(f, "top_k");
        List<String> knowledgeIds = f.optionalStrings("knowledge_ids", MAX_IDS, 36);
        List<String> fileIds = f.optionalStrings("file_ids", MAX_IDS, 36);
        f.check();
        if (knowledgeIds == null && fileIds == null) {
            throw ApiException.invalid("knowledge_ids", "Give knowledge_ids or file_ids", "missing");
        }
        List<String> scope = retrieval.scope(user(ctx), orEmpty(knowledgeIds), orEmpty(fileIds));
        List<Map<String, Object>> results = new ArrayList<>();
        for (ChunkIndex.Hit h : retrieval.search(q.query(), scope, q.k() != null ? q.k() : retrieval.settings().topK(), q.hybrid(), q.r())) {
            results.add(Map.of("content", h.text(), "score", h.score(), "metadata", metadata(h)));
        }
        ctx.json(Map.of("results", results));
    }

    private void queryDoc(Context ctx) {
        Form f = Form.of(ctx);
        Request q = common(f, "k");
        String collection = f.requiredString("collection_name", 64);
        f.check();
        chroma(ctx, q, retrieval.scopeOfCollections(user(ctx), List.of(collection)));
    }

    private void queryCollections(Context ctx) {
        Form f = Form.of(ctx);
        Request q = common(f, "k");
        List<String> collections = f.optionalStrings("collection_names", MAX_IDS, 64);
        if (collections == null) {
            f.error("collection_names", "Field required", "missing");
        }
        f.check();
        chroma(ctx, q, retrieval.scopeOfCollections(user(ctx), collections));
    }

    /** Chroma's query shape, one inner list per query; {@code distances} holds cosine similarities (higher is closer). */
    private void chroma(Context ctx, Request q, List<String> scope) {
        List<String> ids = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        List<Map<String, Object>> metadatas = new ArrayList<>();
        List<Double> distances = new ArrayList<>();
        for (ChunkIndex.Hit h : retrieval.search(q.query(), scope, q.k() != null ? q.k() : retrieval.settings().topK(), q.hybrid(), q.r())) {
            ids.add(h.fileId() + ":" + h.index());
            documents.add(h.text());
            metadatas.add(metadata(h));
            distances.add(h.score());
        }
        ctx.json(Map.of("ids", List.of(ids), "documents", List.of(documents), "metadatas", List.of(metadatas),
                "distances", List.of(distances)));
    }

    static Map<String, Object> metadata(ChunkIndex.Hit h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file_id", h.fileId());
        m.put("filename", h.filename());
        m.put("name", h.filename());
        m.put("source", h.filename());
        m.put("chunk_index", h.index());
        m.put("start_index", h.start());
        if (h.page() != null) {
            m.put("page", h.page());
        }
        return m;
    }

    private void process(Context ctx) {
        Form f = Form.of(ctx);
        String fileId = f.requiredString("file_id", 36);
        String knowledgeId = f.optionalString("knowledge_id", 36);
        String collection = f.optionalString("collection_name", 64);
        String content = f.optionalString("content", Integer.MAX_VALUE);
        f.check();
        String target = knowledgeId != null ? knowledgeId : knowledgeCollection(collection);
        RetrievalService.Processed p = retrieval.process(user(ctx), fileId, content, target);
        Map<String, Object> answer = processed(p);
        answer.put("knowledge_id", target);
        ctx.json(answer);
    }

    private void processText(Context ctx) {
        Form f = Form.of(ctx);
        String name = f.requiredString("name", 255);
        String content = f.requiredString("content", Integer.MAX_VALUE);
        String collection = f.optionalString("collection_name", 64);
        f.check();
        ctx.json(processed(retrieval.processText(user(ctx), name, content, knowledgeCollection(collection))));
    }

    /** Open WebUI's collection name, when it names a knowledge collection rather than one file ({@code file-<id>}). */
    private static String knowledgeCollection(String collection) {
        return collection == null || collection.startsWith("file-") ? null : collection;
    }

    private static Map<String, Object> processed(RetrievalService.Processed p) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", true);
        answer.put("file_id", p.file().id());
        answer.put("collection_name", p.collection());
        answer.put("filename", p.file().filename());
        answer.put("content", p.content());
        return answer;
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
