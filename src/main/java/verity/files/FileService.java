package verity.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;
import verity.config.Rag;
import verity.db.Like;
import verity.http.ApiException;
import verity.http.Json;
import verity.users.User;

/** Upload, read, replace and delete files; only their owner (or an admin) sees them, others get 404. */
public final class FileService {
    private static final Logger LOG = LoggerFactory.getLogger(FileService.class);
    public static final int PAGE_SIZE = 50;

    private final FileStore store;
    private final FileStorage storage;
    private final Rag rag;
    private final Clock clock;
    private FileIndexing indexing;

    public FileService(FileStore store, FileStorage storage, Rag rag, Clock clock) {
        this.store = store;
        this.storage = storage;
        this.rag = rag;
        this.clock = clock;
    }

    /** Set once at wiring time: indexing needs the file service and the other way round. */
    public void indexWith(FileIndexing indexing) {
        this.indexing = indexing;
    }

    public record Upload(String filename, String contentType, InputStream content, ObjectNode metadata, boolean process) {}

    public FileView upload(User user, Upload upload) {
        String name = FileNames.display(upload.filename());
        String extension = FileNames.extension(name);
        if (!rag.allowedExtensions().isEmpty() && !rag.allowedExtensions().contains(extension)) {
            throw ApiException.badRequest("File type " + (extension.isEmpty() ? "(no extension)" : "." + extension)
                    + " is not allowed; allowed: " + String.join(", ", rag.allowedExtensions()));
        }
        String id = UUID.randomUUID().toString();
        String key = FileNames.storageKey(id, name);
        FileStorage.Stored stored;
        try {
            stored = storage.put(key, upload.content(), rag.fileMaxSize());
        } catch (FileStorage.TooLarge e) {
            throw ApiException.tooLarge("File too large: the limit is " + (rag.fileMaxSize() >> 20) + " MB (FILE_MAX_SIZE)");
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the upload", e);
        }
        if (stored.size() == 0) {
            deleteQuietly(key);
            throw ApiException.badRequest("The file is empty");
        }
        String contentType = upload.contentType() == null || upload.contentType().isBlank()
                ? "application/octet-stream" : upload.contentType();
        ObjectNode meta = Json.object();
        meta.put("name", name);
        meta.put("content_type", contentType);
        meta.put("size", stored.size());
        meta.set("data", upload.metadata() == null ? Json.object() : upload.metadata());
        long now = clock.instant().getEpochSecond();
        StoredFile file = new StoredFile(id, user.id(), name, key, contentType, stored.size(), stored.sha256(),
                upload.process() ? StoredFile.PENDING : StoredFile.UPLOADED, null, Json.write(meta), now, now);
        try {
            store.insert(file);
        } catch (RuntimeException e) {
            deleteQuietly(key);
            throw e;
        }
        if (upload.process()) {
            indexing.submit(id);
        }
        return FileView.of(file);
    }

    public record Page(List<FileView> items, long total) {}

    public List<FileView> list(User user) {
        return store.byUser(user.id(), -1, 0).stream().map(FileView::of).toList();
    }

    public Page page(User user, int page) {
        List<FileView> items = store.byUser(user.id(), PAGE_SIZE, (long) (page - 1) * PAGE_SIZE).stream().map(FileView::of).toList();
        return new Page(items, store.countByUser(user.id()));
    }

    /** Own files whose name matches a glob ({@code *}, {@code ?}; case ignored); 404 when none does, as Open WebUI. */
    public List<FileView> search(User user, String glob, boolean withContent, int skip, int limit) {
        List<StoredFile> found = store.byUserAndName(user.id(), Like.glob(glob), limit, skip);
        if (found.isEmpty()) {
            throw ApiException.notFound("No files found matching the pattern.");
        }
        return found.stream().map(f -> FileView.of(f, withContent ? Objects.requireNonNullElse(content(f), "") : null)).toList();
    }

    /** The file if the user owns it or is an admin; otherwise 404, as if it did not exist. */
    public StoredFile readable(User user, String id) {
        return store.find(id).filter(f -> f.userId().equals(user.id()) || user.isAdmin())
                .orElseThrow(() -> ApiException.notFound("File not found"));
    }

    public FileView get(User user, String id) {
        return FileView.of(readable(user, id));
    }

    public InputStream open(StoredFile file) {
        try {
            return storage.open(file.storageKey());
        } catch (IOException e) {
            throw ApiException.notFound("The stored file is missing");
        }
    }

    public String content(User user, String id) {
        return content(readable(user, id));
    }

    /** The extracted text of a file the caller already may read, or null before extraction. */
    public String content(StoredFile file) {
        return store.content(file.id()).orElse(null);
    }

    /** Replaces the extracted text and indexes the new text (the original bytes stay as uploaded). */
    public FileView replaceContent(User user, String id, String content) {
        readable(user, id);
        store.replaceContent(id, content, sha256(content), clock.instant().getEpochSecond());
        indexing.submit(id);
        return get(user, id);
    }

    public Map<String, Object> status(User user, String id) {
        StoredFile file = readable(user, id);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", file.apiStatus());
        if (file.error() != null) {
            status.put("error", file.error());
        }
        Map<String, Object> progress = StoredFile.PENDING.equals(file.status()) ? indexing.progress(id) : null;
        if (progress != null) {
            status.put("progress", progress);
        }
        return status;
    }

    /** Queues an already stored file for processing again. */
    public void reprocess(User user, String id) {
        queue(readable(user, id));
    }

    /** Queues a file stored with {@code ?process=false}, so it can be searched once it is in a collection. */
    public void processIfNeverQueued(StoredFile file) {
        if (StoredFile.UPLOADED.equals(file.status())) {
            queue(file);
        }
    }

    private void queue(StoredFile file) {
        store.setStatus(file.id(), StoredFile.PENDING, null, clock.instant().getEpochSecond());
        indexing.submit(file.id());
    }

    /** The row first (so nobody can reach it any more), then its chunks and its bytes. */
    public void delete(User user, String id) {
        StoredFile file = readable(user, id);
        store.delete(file.id());
        indexing.remove(file.id());
        deleteQuietly(file.storageKey());
    }

    /** Deletes every file of an account (its rows, chunks and bytes), before the account itself goes. */
    public void deleteAllOf(String userId) {
        for (StoredFile file : store.byUser(userId, -1, 0)) {
            store.delete(file.id());
            indexing.remove(file.id());
            deleteQuietly(file.storageKey());
        }
    }

    private void deleteQuietly(String key) {
        try {
            storage.delete(key);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not delete stored object {}: {}", key, e.getMessage());
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
