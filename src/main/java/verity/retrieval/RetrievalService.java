package verity.retrieval;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import verity.config.Rag;
import verity.files.FileNames;
import verity.files.FileService;
import verity.files.FileView;
import verity.files.StoredFile;
import verity.http.ApiException;
import verity.knowledge.KnowledgeService;
import verity.users.User;

/** Search over the files a user may read, and synchronous (re)processing of files and text. */
public final class RetrievalService {
    private final FileService files;
    private final KnowledgeService knowledge;
    private final Embedder embedder;
    private final ChunkIndex index;
    private final Ingestion ingestion;
    private final Rag rag;

    public RetrievalService(FileService files, KnowledgeService knowledge, Embedder embedder, ChunkIndex index,
                            Ingestion ingestion, Rag rag) {
        this.files = files;
        this.knowledge = knowledge;
        this.embedder = embedder;
        this.index = index;
        this.ingestion = ingestion;
        this.rag = rag;
    }

    public Rag settings() {
        return rag;
    }

    public long chunks() {
        return index.chunks();
    }

    /** Files behind knowledge ids and file ids; anything the user may not read is a 404. */
    public List<String> scope(User user, List<String> knowledgeIds, List<String> fileIds) {
        Set<String> ids = new LinkedHashSet<>(knowledge.fileIds(user, knowledgeIds));
        for (String id : fileIds) {
            ids.add(files.readable(user, id).id());
        }
        return List.copyOf(ids);
    }

    /** Open WebUI's collection names: {@code file-<id>} for one file, otherwise a knowledge id. */
    public List<String> scopeOfCollections(User user, List<String> collections) {
        List<String> knowledgeIds = new ArrayList<>();
        List<String> fileIds = new ArrayList<>();
        for (String name : collections) {
            if (name.startsWith("file-")) {
                fileIds.add(name.substring("file-".length()));
            } else {
                knowledgeIds.add(name);
            }
        }
        return scope(user, knowledgeIds, fileIds);
    }

    /**
     * The best chunks for the query: {@code hybrid} null means ENABLE_RAG_HYBRID_SEARCH; with a threshold above
     * 0, chunks whose cosine similarity is under it are dropped (0, the default, keeps every chunk).
     */
    public List<ChunkIndex.Hit> search(String query, List<String> fileIds, int k, Boolean hybrid, Double threshold) {
        if (fileIds.isEmpty() || query.isBlank()) {
            return List.of();
        }
        boolean useHybrid = hybrid != null ? hybrid : rag.hybrid();
        double minimum = threshold != null ? threshold : rag.relevanceThreshold();
        float[] vector = embedder.embed(query);
        return index.search(vector, query, fileIds, k, useHybrid ? rag.bm25Weight() : 0.0).stream()
                .filter(h -> minimum <= 0 || h.score() >= minimum).toList();
    }

    public record Processed(StoredFile file, String content, String collection) {}

    /**
     * (Re)processes a file now, optionally with replaced text, waits for it (a failure is a 400 with the reason)
     * and adds it to the knowledge collection {@code knowledgeId} when one is given.
     */
    public Processed process(User user, String fileId, String content, String knowledgeId) {
        checkCollection(user, knowledgeId);
        if (content != null) {
            files.replaceContent(user, fileId, content);
        } else {
            files.reprocess(user, fileId);
        }
        return finish(user, fileId, knowledgeId);
    }

    /** Stores text as a new file (name.txt unless the name has an extension), indexes it now, as {@link #process}. */
    public Processed processText(User user, String name, String content, String knowledgeId) {
        checkCollection(user, knowledgeId);
        String filename = FileNames.extension(FileNames.display(name)).isEmpty() ? FileNames.display(name) + ".txt" : name;
        FileView view = files.upload(user, new FileService.Upload(filename, "text/plain",
                new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), null, true));
        return finish(user, view.id(), knowledgeId);
    }

    private void checkCollection(User user, String knowledgeId) {
        if (knowledgeId != null) {
            knowledge.readable(user, knowledgeId);
        }
    }

    private Processed finish(User user, String fileId, String knowledgeId) {
        ingestion.await(fileId);
        StoredFile file = files.readable(user, fileId);
        if (StoredFile.FAILED.equals(file.status())) {
            throw ApiException.badRequest(file.error());
        }
        if (knowledgeId != null) {
            knowledge.addFile(user, knowledgeId, fileId);
        }
        return new Processed(file, files.content(file), knowledgeId != null ? knowledgeId : "file-" + fileId);
    }

    /** The full text of each file (already checked readable by {@link #scope}), with its file. */
    public List<Processed> texts(User user, List<String> fileIds) {
        List<Processed> out = new ArrayList<>();
        for (String id : fileIds) {
            StoredFile file = files.readable(user, id);
            out.add(new Processed(file, files.content(file), "file-" + id));
        }
        return out;
    }
}
