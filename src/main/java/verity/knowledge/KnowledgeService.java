package verity.knowledge;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import verity.db.Database;
import verity.db.Like;
import verity.files.FileService;
import verity.files.FileStore;
import verity.files.FileView;
import verity.files.StoredFile;
import verity.http.ApiException;
import verity.http.Json;
import verity.users.User;

/** Knowledge collections: named sets of files, private to their owner (admins may see and change any). */
public final class KnowledgeService {
    public static final int PAGE_SIZE = 30;

    private final KnowledgeStore store;
    private final FileStore fileStore;
    private final FileService files;
    private final Clock clock;

    public KnowledgeService(Database db, FileStore fileStore, FileService files, Clock clock) {
        this.store = new KnowledgeStore(db);
        this.fileStore = fileStore;
        this.files = files;
        this.clock = clock;
    }

    public record Page(List<KnowledgeView> items, long total) {}

    public KnowledgeView create(User user, String name, String description) {
        long now = clock.instant().getEpochSecond();
        Knowledge k = new Knowledge(UUID.randomUUID().toString(), user.id(), name, description == null ? "" : description,
                "{}", now, now);
        store.insert(k);
        return view(k, true);
    }

    public List<KnowledgeView> list(User user) {
        return store.byUser(user.id(), -1, 0).stream().map(k -> view(k, false)).toList();
    }

    public Page page(User user, int page) {
        List<KnowledgeView> items = store.byUser(user.id(), PAGE_SIZE, (long) (page - 1) * PAGE_SIZE).stream()
                .map(k -> view(k, false)).toList();
        return new Page(items, store.countByUser(user.id()));
    }

    /** The collection if the user owns it or is an admin; otherwise 404. */
    public Knowledge readable(User user, String id) {
        return store.find(id).filter(k -> k.userId().equals(user.id()) || user.isAdmin())
                .orElseThrow(() -> ApiException.notFound("Knowledge not found"));
    }

    public KnowledgeView get(User user, String id) {
        return view(readable(user, id), true);
    }

    public KnowledgeView update(User user, String id, String name, String description) {
        Knowledge k = readable(user, id);
        store.update(k.id(), name == null ? k.name() : name, description == null ? k.description() : description,
                clock.instant().getEpochSecond());
        return get(user, id);
    }

    /** Links a file the user may read; a file with the same content already in the collection is refused. */
    public KnowledgeView addFile(User user, String id, String fileId) {
        Knowledge k = readable(user, id);
        StoredFile file = files.readable(user, fileId);
        if (StoredFile.FAILED.equals(file.status())) {
            throw ApiException.badRequest("The file could not be processed: " + file.error());
        }
        if (store.hasFileWithHash(k.id(), file.hash(), file.id())) {
            throw ApiException.badRequest("Duplicate content detected. Please provide unique content to proceed.");
        }
        if (store.addFile(k.id(), file.id(), clock.instant().getEpochSecond())) {
            store.touch(k.id(), clock.instant().getEpochSecond());
        }
        files.processIfNeverQueued(file);
        return get(user, id);
    }

    public record FilePage(List<FileView> items, long total) {}

    /** One page of the collection's files, optionally only those whose name contains {@code query}. */
    public FilePage files(User user, String id, String query, int page) {
        Knowledge k = readable(user, id);
        String like = Like.contains(query == null ? "" : query);
        List<String> ids = store.fileIds(k.id(), like, PAGE_SIZE, (long) (page - 1) * PAGE_SIZE);
        Map<String, StoredFile> byId = fileStore.byIds(ids).stream().collect(Collectors.toMap(StoredFile::id, f -> f));
        List<FileView> items = ids.stream().map(byId::get).filter(Objects::nonNull).map(FileView::of).toList();
        return new FilePage(items, store.countFiles(k.id(), like));
    }

    /** Extracts, splits and embeds one of the collection's files again. */
    public KnowledgeView updateFile(User user, String id, String fileId) {
        Knowledge k = readable(user, id);
        if (!store.hasFile(k.id(), fileId)) {
            throw ApiException.notFound("File not found in this knowledge");
        }
        files.reprocess(user, fileId);
        return get(user, id);
    }

    /** Unlinks the file; with {@code deleteFile} the file itself (and its chunks) is deleted too. */
    public KnowledgeView removeFile(User user, String id, String fileId, boolean deleteFile) {
        Knowledge k = readable(user, id);
        if (!store.removeFile(k.id(), fileId)) {
            throw ApiException.notFound("File not found in this knowledge");
        }
        store.touch(k.id(), clock.instant().getEpochSecond());
        if (deleteFile) {
            files.delete(user, fileId);
        }
        return get(user, id);
    }

    public KnowledgeView reset(User user, String id) {
        Knowledge k = readable(user, id);
        store.removeAllFiles(k.id());
        store.touch(k.id(), clock.instant().getEpochSecond());
        return get(user, id);
    }

    public void delete(User user, String id) {
        store.delete(readable(user, id).id());
    }

    /** Files of the given collections (each must be readable by the user). */
    public List<String> fileIds(User user, List<String> knowledgeIds) {
        knowledgeIds.forEach(id -> readable(user, id));
        return store.fileIds(knowledgeIds);
    }

    private KnowledgeView view(Knowledge k, boolean withFiles) {
        List<String> ids = store.fileIds(k.id());
        List<FileView> fileViews = withFiles ? fileStore.byIds(ids).stream().map(FileView::of).toList() : null;
        return new KnowledgeView(k.id(), k.userId(), k.name(), k.description(), Map.of("file_ids", ids),
                Json.readObject(k.meta()), null, k.createdAt(), k.updatedAt(), fileViews, true);
    }
}
