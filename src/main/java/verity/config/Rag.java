package verity.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Files and retrieval settings, with Open WebUI's variable names and defaults where it has them.
 *
 * @param fileMaxSize        FILE_MAX_SIZE (or RAG_FILE_MAX_SIZE) in MB, as bytes; Verity's default is 100 MB
 * @param allowedExtensions  RAG_ALLOWED_FILE_EXTENSIONS, lower case without dots; empty allows every extension
 * @param embeddingEngine    "" (in-process MiniLM), "openai" or "ollama"
 */
public record Rag(Path uploadDir, Path indexDir, long fileMaxSize, List<String> allowedExtensions,
                  int chunkSize, int chunkOverlap, int topK, double relevanceThreshold, boolean hybrid,
                  double bm25Weight, String embeddingEngine, String embeddingModel, int embeddingBatchSize,
                  String openAiBaseUrl, String openAiKey, String ollamaBaseUrl, Optional<String> template) {

    public static final String DEFAULT_EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2";

    static Rag fromEnv(Env env, Path dataDir) {
        int chunkSize = env.integer("CHUNK_SIZE", 1000, 50, 100_000);
        int overlap = env.integer("CHUNK_OVERLAP", 100, 0, 100_000);
        if (overlap >= chunkSize) {
            throw new ConfigException("CHUNK_OVERLAP", "must be smaller than CHUNK_SIZE (" + chunkSize + "), got " + overlap);
        }
        String engine = env.string("RAG_EMBEDDING_ENGINE", "").toLowerCase(Locale.ROOT);
        if (!List.of("", "openai", "ollama").contains(engine)) {
            throw new ConfigException("RAG_EMBEDDING_ENGINE", "expected empty (in-process), openai or ollama, got '" + engine + "'");
        }
        String model = env.string("RAG_EMBEDDING_MODEL", DEFAULT_EMBEDDING_MODEL);
        if (engine.isEmpty() && !model.equals(DEFAULT_EMBEDDING_MODEL) && !model.equals("all-MiniLM-L6-v2")) {
            throw new ConfigException("RAG_EMBEDDING_MODEL", "the in-process engine ships only "
                    + DEFAULT_EMBEDDING_MODEL + "; set RAG_EMBEDDING_ENGINE=openai or ollama for '" + model + "'");
        }
        long maxMb = env.integer("FILE_MAX_SIZE", env.integer("RAG_FILE_MAX_SIZE", 100, 1, 1_048_576), 1, 1_048_576);
        return new Rag(
                dataDir.resolve("uploads"),
                dataDir.resolve("vector_db"),
                maxMb << 20,
                extensions(env.string("RAG_ALLOWED_FILE_EXTENSIONS", "")),
                chunkSize,
                overlap,
                env.integer("RAG_TOP_K", 3, 1, 1000),
                env.decimal("RAG_RELEVANCE_THRESHOLD", 0.0, -1.0, 1.0),
                env.bool("ENABLE_RAG_HYBRID_SEARCH", false),
                env.decimal("RAG_HYBRID_BM25_WEIGHT", 0.5, 0.0, 1.0),
                engine,
                model,
                env.integer("RAG_EMBEDDING_BATCH_SIZE", 32, 1, 4096),
                env.url("RAG_OPENAI_API_BASE_URL", env.string("OPENAI_API_BASE_URL", "https://api.openai.com/v1")),
                env.string("RAG_OPENAI_API_KEY", env.string("OPENAI_API_KEY", "")),
                env.url("RAG_OLLAMA_BASE_URL", env.string("OLLAMA_BASE_URL", "http://localhost:11434")),
                env.get("RAG_TEMPLATE"));
    }

    /** "pdf, .docx;TXT" → [pdf, docx, txt]. */
    static List<String> extensions(String raw) {
        return Arrays.stream(raw.split("[,;\\s]+")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> (s.startsWith(".") ? s.substring(1) : s).toLowerCase(Locale.ROOT)).distinct().toList();
    }
}
