package verity.feedback;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every feedback as leaderboards see it, in primitive arrays: one slot per feedback (its id, author, version,
 * created_at, model and, in {@link #pool}, its opponents and tags), and {@link #order}, the slots by (created_at,
 * id) — the order Elo applies games in. Not thread-safe ({@link GameLog} guards it).
 *
 * <p>Deleted feedback keeps its slot, marked dead, until {@link #compact}: a late update of it (applied after
 * its deletion when two transactions finish close together) then finds it dead and is ignored.
 */
final class Games {
    static final byte LIVE = 1;
    static final byte VOTE = 2;
    static final byte WON = 4;
    private static final byte ODD = 8;

    final Names models;
    final Names tags;
    private final Names users;

    private long[] hi = new long[16];
    private long[] lo = new long[16];
    private long[] created = new long[16];
    private long[] version = new long[16];
    private int[] model = new int[16];
    private int[] user = new int[16];
    private int[] content = new int[16];
    private byte[] flags = new byte[16];
    private int slots;
    private int live;

    private int[] order = new int[16];
    private int ordered;

    /** slot + 1 by id hash (open addressing); ids that are not canonical UUIDs are in {@link #oddSlots}. */
    private int[] table = new int[32];
    private final Map<String, Integer> oddSlots = new HashMap<>();
    private final Map<Integer, String> oddIds = new HashMap<>();

    /** Per slot with a model: opponent count, opponents, tag count, tags. */
    private int[] pool = new int[64];
    private int poolSize;
    private int poolGarbage;

    /** Counts changes; the order position each of the last {@link #RING} changes touched (see {@link #untouchedBelow}). */
    private static final int RING = 1 << 12;
    private long changes;
    private final int[] touched = new int[RING];

    /** Deletions that arrived before the creation they delete; authors deleted with their account. */
    private final Set<String> early = new HashSet<>();
    private final Set<Integer> deletedUsers = new HashSet<>();

    Games() {
        this(new Names(), new Names(), new Names());
    }

    private Games(Names models, Names tags, Names users) {
        this.models = models;
        this.tags = tags;
        this.users = users;
    }

    /** Feedback in creation order: the slot of the {@code i}-th, live or dead. */
    int ordered() {
        return ordered;
    }

    long changes() {
        return changes;
    }

    /**
     * True when no change after change number {@code since} touched a position below {@code n}: the first
     * {@code n} positions of the order are then as they were (later inserts only ever go after them).
     */
    boolean untouchedBelow(long since, int n) {
        if (since > changes || changes - since >= RING) {
            return false;
        }
        for (long c = since + 1; c <= changes; c++) {
            if (touched[(int) (c % RING)] < n) {
                return false;
            }
        }
        return true;
    }

    private void touch(int position) {
        changes++;
        touched[(int) (changes % RING)] = position;
    }

    /** The order position of a slot (binary search by its created_at and id). */
    private int positionOf(int slot) {
        int low = 0;
        int high = ordered - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = compare(order[mid], slot);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return 0;
    }

    int slotAt(int i) {
        return order[i];
    }

    byte flags(int slot) {
        return flags[slot];
    }

    int model(int slot) {
        return model[slot];
    }

    long createdAt(int slot) {
        return created[slot];
    }

    /** Index into {@link #pool()} of the slot's opponent count (tags follow its opponents), or -1 without a model. */
    int content(int slot) {
        return content[slot];
    }

    int[] pool() {
        return pool;
    }

    int live() {
        return live;
    }

    /** Applies a created or updated feedback unless a newer version of it, its deletion or its author's is already in. */
    void put(String id, String userId, long feedbackVersion, long createdAt, Extracted e) {
        int u = users.number(userId);
        if (deletedUsers.contains(u) || early.remove(id)) {
            return;
        }
        int slot = find(id);
        if (slot >= 0) {
            if ((flags[slot] & LIVE) == 0 || version[slot] >= feedbackVersion) {
                return;
            }
            release(slot);
            touch(positionOf(slot));
        } else {
            slot = newSlot(id, createdAt);
            user[slot] = u;
            live++;
            touch(insertInOrder(slot));
        }
        version[slot] = feedbackVersion;
        setContent(slot, e);
    }

    void remove(String id) {
        int slot = find(id);
        if (slot < 0) {
            early.add(id);
        } else {
            kill(slot);
        }
    }

    void removeUser(String userId) {
        int u = users.number(userId);
        deletedUsers.add(u);
        for (int s = 0; s < slots; s++) {
            if (user[s] == u) {
                kill(s);
            }
        }
    }

    private void kill(int slot) {
        if ((flags[slot] & LIVE) != 0) {
            touch(positionOf(slot));
            release(slot);
            flags[slot] = (byte) (flags[slot] & ODD);
            content[slot] = -1;
            live--;
        }
    }

    private void release(int slot) {
        int c = content[slot];
        if (c >= 0) {
            poolGarbage += 2 + pool[c] + pool[c + 1 + pool[c]];
        }
    }

    private void setContent(int slot, Extracted e) {
        byte f = (byte) ((flags[slot] & ODD) | LIVE);
        if (e.modelId() == null) {
            model[slot] = -1;
            content[slot] = -1;
            flags[slot] = f;
            return;
        }
        model[slot] = models.number(e.modelId());
        boolean vote = ("1".equals(e.rating()) || "-1".equals(e.rating())) && !e.siblings().isEmpty();
        List<String> opponents = vote ? e.siblings() : List.of();
        int at = reserve(2 + opponents.size() + e.tags().size());
        content[slot] = at;
        pool[at++] = opponents.size();
        for (String o : opponents) {
            pool[at++] = models.number(o);
        }
        pool[at++] = e.tags().size();
        for (String t : e.tags()) {
            pool[at++] = tags.number(t);
        }
        flags[slot] = (byte) (f | (vote ? VOTE : 0) | (vote && "1".equals(e.rating()) ? WON : 0));
    }

    private int reserve(int n) {
        if (poolSize + n > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(poolSize + n, pool.length + (pool.length >> 1)));
        }
        int at = poolSize;
        poolSize += n;
        return at;
    }

    private int newSlot(String id, long createdAt) {
        if (slots == hi.length) {
            int n = slots + (slots >> 1);
            hi = Arrays.copyOf(hi, n);
            lo = Arrays.copyOf(lo, n);
            created = Arrays.copyOf(created, n);
            version = Arrays.copyOf(version, n);
            model = Arrays.copyOf(model, n);
            user = Arrays.copyOf(user, n);
            content = Arrays.copyOf(content, n);
            flags = Arrays.copyOf(flags, n);
        }
        int slot = slots++;
        created[slot] = createdAt;
        content[slot] = -1;
        long[] uuid = parseUuid(id);
        if (uuid == null) {
            flags[slot] = ODD;
            oddSlots.put(id, slot);
            oddIds.put(slot, id);
        } else {
            flags[slot] = 0;
            hi[slot] = uuid[0];
            lo[slot] = uuid[1];
            if (slots * 2 > table.length) {
                rehash(table.length * 2);
            }
            index(slot);
        }
        return slot;
    }

    private void rehash(int size) {
        table = new int[size];
        for (int s = 0; s < slots; s++) {
            if ((flags[s] & ODD) == 0) {
                index(s);
            }
        }
    }

    private void index(int slot) {
        int mask = table.length - 1;
        int i = hash(hi[slot], lo[slot]) & mask;
        while (table[i] != 0 && table[i] != slot + 1) {
            i = (i + 1) & mask;
        }
        table[i] = slot + 1;
    }

    private static int hash(long h, long l) {
        long x = h * 0x9E3779B97F4A7C15L ^ l;
        return (int) (x ^ (x >>> 32));
    }

    int find(String id) {
        long[] uuid = parseUuid(id);
        if (uuid == null) {
            return oddSlots.getOrDefault(id, -1);
        }
        int mask = table.length - 1;
        for (int i = hash(uuid[0], uuid[1]) & mask; table[i] != 0; i = (i + 1) & mask) {
            int s = table[i] - 1;
            if (hi[s] == uuid[0] && lo[s] == uuid[1] && (flags[s] & ODD) == 0) {
                return s;
            }
        }
        return -1;
    }

    /** The two halves of a canonical (lower-case, hyphenated) UUID, or null for any other id. */
    static long[] parseUuid(String id) {
        if (id.length() != 36) {
            return null;
        }
        long[] halves = new long[2];
        int digits = 0;
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return null;
                }
                continue;
            }
            int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (v < 0) {
                return null;
            }
            halves[digits / 16] = halves[digits / 16] << 4 | v;
            digits++;
        }
        return halves;
    }

    /** SQL's ORDER BY created_at, id: canonical UUIDs compare as their unsigned 128-bit values do as text. */
    private int compare(int a, int b) {
        int c = Long.compare(created[a], created[b]);
        if (c != 0) {
            return c;
        }
        if (((flags[a] | flags[b]) & ODD) == 0) {
            c = Long.compareUnsigned(hi[a], hi[b]);
            return c != 0 ? c : Long.compareUnsigned(lo[a], lo[b]);
        }
        return id(a).compareTo(id(b));
    }

    private String id(int slot) {
        return (flags[slot] & ODD) != 0 ? oddIds.get(slot) : new java.util.UUID(hi[slot], lo[slot]).toString();
    }

    private int insertInOrder(int slot) {
        if (ordered == order.length) {
            order = Arrays.copyOf(order, ordered + (ordered >> 1) + 16);
        }
        int low = 0;
        int high = ordered;
        if (ordered > 0 && compare(order[ordered - 1], slot) < 0) {
            low = ordered;
        }
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (compare(order[mid], slot) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        System.arraycopy(order, low, order, low + 1, ordered - low);
        order[low] = slot;
        ordered++;
        return low;
    }

    /** Sorts every slot into creation order at once (after a bulk load, cheaper than inserting one by one). */
    void sortAll() {
        Integer[] boxed = new Integer[slots];
        for (int s = 0; s < slots; s++) {
            boxed[s] = s;
        }
        Arrays.sort(boxed, this::compare);
        order = new int[Math.max(16, slots)];
        for (int i = 0; i < slots; i++) {
            order[i] = boxed[i];
        }
        ordered = slots;
    }

    /**
     * Appends a feedback read from the database, its content to follow with {@link #setLoaded} (no order kept;
     * call {@link #sortAll} after the last). Returns its slot.
     */
    int load(String id, String userId, long feedbackVersion, long createdAt, String modelId, String rating) {
        int slot = newSlot(id, createdAt);
        user[slot] = users.number(userId);
        version[slot] = feedbackVersion;
        live++;
        model[slot] = modelId == null ? -1 : models.number(modelId);
        boolean vote = "1".equals(rating) || "-1".equals(rating);
        flags[slot] = (byte) (flags[slot] | LIVE | (vote ? VOTE : 0) | ("1".equals(rating) ? WON : 0));
        return slot;
    }

    /** The loaded slot's opponents and tags ({@code n} numbers each from {@code from}). */
    void setLoaded(int slot, int[] opponents, int oFrom, int oN, int[] tagNumbers, int tFrom, int tN) {
        if (model[slot] < 0) {
            return;
        }
        boolean vote = (flags[slot] & VOTE) != 0 && oN > 0;
        if (!vote) {
            flags[slot] = (byte) (flags[slot] & ~(VOTE | WON));
            oN = 0;
        }
        int at = reserve(2 + oN + tN);
        content[slot] = at;
        pool[at] = oN;
        System.arraycopy(opponents, oFrom, pool, at + 1, oN);
        pool[at + 1 + oN] = tN;
        System.arraycopy(tagNumbers, tFrom, pool, at + 2 + oN, tN);
    }

    /** True when dead slots or replaced contents take more room than live ones. */
    boolean wasteful() {
        int dead = slots - live;
        return dead > 1024 && dead > live || poolGarbage > 65_536 && poolGarbage > poolSize / 2;
    }

    /** The same live feedback in fresh arrays: dead slots and replaced contents dropped. */
    Games compact() {
        Games g = new Games(models, tags, users);
        for (int i = 0; i < ordered; i++) {
            int s = order[i];
            if ((flags[s] & LIVE) != 0) {
                int t = g.newSlot(id(s), created[s]);
                g.user[t] = user[s];
                g.version[t] = version[s];
                g.model[t] = model[s];
                g.flags[t] = (byte) ((g.flags[t] & ODD) | (flags[s] & ~ODD));
                int c = content[s];
                if (c >= 0) {
                    int n = 2 + pool[c] + pool[c + 1 + pool[c]];
                    int at = g.reserve(n);
                    System.arraycopy(pool, c, g.pool, at, n);
                    g.content[t] = at;
                }
                g.live++;
                if (g.ordered == g.order.length) {
                    g.order = Arrays.copyOf(g.order, g.ordered + (g.ordered >> 1) + 16);
                }
                g.order[g.ordered++] = t;
            }
        }
        g.early.addAll(early);
        g.deletedUsers.addAll(deletedUsers);
        return g;
    }

    /** Bytes held by the arrays (for the log's memory figure). */
    long bytes() {
        return (long) hi.length * (8 * 4 + 4 * 3 + 1) + order.length * 4L + table.length * 4L + pool.length * 4L;
    }
}
