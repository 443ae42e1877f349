package verity.chats;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import verity.db.Database;
import verity.http.ApiException;
import verity.http.Json;
import verity.http.RawJson;
import verity.http.RawJson.Slice;
import verity.http.RawObject;
import verity.users.User;

/**
 * Conversation rules: only the owner changes a chat (admins may read any); another user's chat is a 404;
 * an update is a shallow merge of the {@code chat} object; the title follows {@code chat.title}.
 */
public final class ChatService {
    public static final int PAGE_SIZE = 60;
    static final String DEFAULT_TITLE = "New Chat";

    private final ChatStore store;
    private final Database db;
    private final Clock clock;

    public ChatService(Database db, Clock clock) {
        this.store = new ChatStore(db);
        this.db = db;
        this.clock = clock;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** Creates a chat from its raw {@code chat} object. */
    public Chat create(User owner, RawObject chat, String folderId) {
        return create(owner, chat, folderId, false, null, null);
    }

    private Chat create(User owner, RawObject chat, String folderId, boolean pinned, Long createdAt, Long updatedAt) {
        long now = now();
        ChatSummary summary = new ChatSummary(UUID.randomUUID().toString(), owner.id(), titleOf(chat.get("title")),
                updatedAt != null ? updatedAt : now, createdAt != null ? createdAt : now, null, false, pinned, folderId);
        store.insert(summary, chat);
        return Chat.of(summary, chat, List.of());
    }

    private static String titleOf(Slice raw) {
        String title = RawJson.string(raw);
        return title == null || title.isBlank() ? DEFAULT_TITLE : title;
    }

    /** A chat the caller may read: their own, or any when they are an admin. 404 otherwise. */
    public Chat get(User caller, String id) {
        return Chat.of(readable(caller, id), store.content(id), tagIds(id));
    }

    public boolean isPinned(User caller, String id) {
        return readable(caller, id).pinned();
    }

    private ChatSummary readable(User caller, String id) {
        return store.find(id).filter(c -> c.userId().equals(caller.id()) || caller.isAdmin())
                .orElseThrow(ChatService::notFound);
    }

    private ChatSummary owned(User caller, String id) {
        return store.find(id).filter(c -> c.userId().equals(caller.id())).orElseThrow(ChatService::notFound);
    }

    private List<String> tagIds(String chatId) {
        return store.tags(chatId).stream().map(Tag::id).toList();
    }

    private static ApiException notFound() {
        return ApiException.notFound("Chat not found");
    }

    /**
     * Shallow merge: top-level keys of {@code changes} replace those of the stored chat (new keys go last). Only
     * the given keys are written, and only the others are read back for the answer.
     */
    public Chat update(User caller, String id, RawObject changes) {
        Map<String, Slice> given = changes.fields();
        String title = given.containsKey("title") ? titleOf(given.get("title")) : null;
        long now = now();
        return db.inTransaction(() -> {
            if (!store.touch(id, caller.id(), title, now)) {
                throw notFound();
            }
            ChatSummary summary = store.find(id).orElseThrow(ChatService::notFound);
            return Chat.of(summary, store.merge(id, given), tagIds(id));
        });
    }

    public void delete(User caller, String id) {
        owned(caller, id);
        store.delete(id);
    }

    public int deleteAll(User caller) {
        return store.deleteAll(caller.id());
    }

    /** Page {@code page} (1-based) of 60, or everything when {@code page} is null. */
    public List<ChatSummary> list(User caller, Integer page, boolean archived, Boolean pinned) {
        return store.list(caller.id(), archived, pinned, limit(page), offset(page));
    }

    public List<Chat> all(User caller) {
        return store.listFull(caller.id(), this::tagIds);
    }

    private static int limit(Integer page) {
        return page == null ? Integer.MAX_VALUE : PAGE_SIZE;
    }

    private static int offset(Integer page) {
        return page == null ? 0 : (page - 1) * PAGE_SIZE;
    }

    /** Words must all appear in the title or content; {@code tag:x} tokens require tag x; {@code archived:true} searches archived chats. */
    public List<ChatSummary> search(User caller, String text, Integer page) {
        List<String> words = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        boolean archived = false;
        for (String token : (text == null ? "" : text).trim().split("\\s+")) {
            String lower = token.toLowerCase(Locale.ROOT);
            if (lower.isEmpty()) {
                continue;
            }
            if (lower.startsWith("tag:") && lower.length() > 4) {
                tags.add(Tag.idOf(token.substring(4)));
            } else if (lower.equals("archived:true")) {
                archived = true;
            } else {
                words.add(lower);
            }
        }
        return store.search(caller.id(), words, tags, archived, PAGE_SIZE, page == null ? 0 : offset(page));
    }

    public Chat togglePinned(User caller, String id) {
        ChatSummary c = owned(caller, id);
        store.setPinned(id, !c.pinned(), now());
        return get(caller, id);
    }

    public Chat toggleArchived(User caller, String id) {
        ChatSummary c = owned(caller, id);
        store.setArchived(id, !c.archived(), now());
        return get(caller, id);
    }

    /** Shares a snapshot of the chat (sharing again refreshes it); returns the chat with its share id. */
    public Chat share(User caller, String id) {
        Chat c = Chat.of(owned(caller, id), store.content(id), List.of());
        db.inTransaction(() -> {
            String shareId = store.share(c, UUID.randomUUID().toString(), now());
            store.setShareId(id, shareId);
            return shareId;
        });
        return get(caller, id);
    }

    public boolean unshare(User caller, String id) {
        owned(caller, id);
        return db.inTransaction(() -> {
            store.setShareId(id, null);
            return store.unshare(id);
        });
    }

    public Chat shared(String shareId) {
        return store.shared(shareId).orElseThrow(ChatService::notFound);
    }

    public Chat copy(User caller, String id, String title) {
        Chat source = get(caller, id);
        Map<String, Slice> fields = new LinkedHashMap<>(source.chat().fields());
        String newTitle = title != null && !title.isBlank() ? title : "Clone of " + source.title();
        fields.put("title", Slice.of(Json.MAPPER.writeValueAsBytes(newTitle)));
        return create(caller, RawObject.of(fields), source.folderId());
    }

    /** One chat of an import: the chat object plus optional flags and timestamps. */
    public record Imported(RawObject chat, boolean pinned, String folderId, Long createdAt, Long updatedAt) {}

    public List<Chat> importAll(User caller, List<Imported> chats) {
        return db.inTransaction(() -> chats.stream()
                .map(i -> create(caller, i.chat(), i.folderId(), i.pinned(), i.createdAt(), i.updatedAt()))
                .toList());
    }

    public List<Tag> tags(User caller, String id) {
        readable(caller, id);
        return store.tags(id);
    }

    public List<Tag> allTags(User caller) {
        return store.allTags(caller.id());
    }

    public List<Tag> addTag(User caller, String id, String name) {
        owned(caller, id);
        store.addTag(id, new Tag(Tag.idOf(name), name.trim(), caller.id(), Map.of()), now());
        return store.tags(id);
    }

    public List<Tag> removeTag(User caller, String id, String name) {
        owned(caller, id);
        store.removeTag(id, Tag.idOf(name));
        return store.tags(id);
    }
}
