import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Inserts N feedback rows straight through JDBC into a Verity database whose schema the server has already
 * created (start it once on the database, then stop it). Single-file program:
 *
 *   java -cp /tmp/bench/verity.jar bench/SeedFeedback.java <jdbc-url> <rows> [random-seed=42]
 *   e.g. jdbc:sqlite:/tmp/bench/seed/webui.db   or   jdbc:postgresql://127.0.0.1:5432/verity_bench?user=postgres
 *
 * What it writes, in Open WebUI's shapes:
 *  - 100 users (role user, a well-formed bcrypt hash that no password matches) unless already there;
 *  - feedback of type "rating" by those users, created over the last 90 days in insertion order (as a live
 *    table fills up: rowid order follows created_at, with up to a minute of jitter), on 20 models:
 *    data = {rating, model_id, sibling_model_ids, reason, comment, tags, details}; 90% of the ratings are
 *    1/-1 (70% as JSON numbers, 30% as strings "1"/"-1"), 10% are 1-10 scores; 40% of the 1/-1 ratings carry a
 *    1-10 details.rating; ~50% have 1-2 sibling models (arena comparisons), 0-3 tags from a vocabulary of 24;
 *    meta = {arena, chat_id, message_id, message_index, tags, base_models}; a ~2 KB chat snapshot on 5%;
 *    5% were edited once (version 1, the earlier version in feedback_versions);
 *  - the extracted columns model_id, rating (Python's str(data.rating)), rating_num, feedback_siblings and
 *    feedback_tags exactly as the server derives them (verity.feedback.Extracted).
 * Batched inserts, one transaction per 5,000 feedback rows.
 */
public class SeedFeedback {
    static final int USERS = 100;
    static final int BATCH = 5_000;
    static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "o3-mini", "claude-3-5-sonnet", "claude-3-haiku",
            "gemini-1.5-pro", "gemini-1.5-flash", "llama3.1:8b", "llama3.1:70b", "llama3.2:3b", "mistral:7b",
            "mixtral:8x7b", "qwen2.5:7b", "qwen2.5:32b", "deepseek-r1:14b", "phi3:mini", "gemma2:9b",
            "command-r", "codestral", "arena-model"};
    static final String[] TAGS = {"coding", "math", "writing", "summarization", "translation", "reasoning",
            "creative", "factual", "helpful", "concise", "verbose", "hallucination", "formatting", "safety",
            "instruction-following", "python", "sql", "java", "explanation", "brainstorming", "email", "debugging",
            "research", "chat"};
    static final String[] GOOD = {"Accurate information", "Followed instructions perfectly", "Showcased creativity",
            "Positive attitude", "Attention to detail", "Thorough explanation", "Other"};
    static final String[] BAD = {"Don't like the style", "Too verbose", "Not helpful", "Not factually correct",
            "Didn't fully follow instructions", "Refused when it shouldn't have", "Being lazy", "Other"};
    static final String[] WORDS = ("the answer was clear but missed an edge case in the second part of the "
            + "question about indexes and joins while the code compiled and ran correctly on the first try "
            + "however it ignored the requested format and the tone felt a bit robotic überall naïve café").split(" ");

    final SplittableRandom rng;
    final long now = System.currentTimeMillis() / 1000;

    SeedFeedback(long seed) {
        rng = new SplittableRandom(seed);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SeedFeedback <jdbc-url> <rows> [random-seed]");
            System.exit(2);
        }
        String url = args[0];
        long rows = Long.parseLong(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        if (url.startsWith("jdbc:postgresql:") && !url.contains("reWriteBatchedInserts")) {
            url += (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
        }
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url)) {
            new SeedFeedback(seed).run(c, rows, url.startsWith("jdbc:sqlite:"), t0);
        }
    }

    void run(Connection c, long rows, boolean sqlite, long t0) throws SQLException {
        if (sqlite) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=OFF");
                s.execute("PRAGMA cache_size=-262144"); // 256 MB
                s.execute("PRAGMA temp_store=MEMORY");
            }
        }
        c.setAutoCommit(false);
        List<String> users = seedUsers(c);
        c.commit();

        String insertFeedback = "INSERT INTO feedback (id, user_id, type, data, meta, snapshot, version, model_id, rating, "
                + "rating_num, created_at, updated_at, user_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "(SELECT name FROM users WHERE id = ?))";
        try (PreparedStatement fb = c.prepareStatement(insertFeedback);
             PreparedStatement sib = c.prepareStatement("INSERT INTO feedback_siblings (feedback_id, position, model_id) VALUES (?, ?, ?)");
             PreparedStatement tag = c.prepareStatement("INSERT INTO feedback_tags (feedback_id, tag, position) VALUES (?, ?, ?)");
             PreparedStatement ver = c.prepareStatement("INSERT INTO feedback_versions (feedback_id, version, type, data, "
                     + "meta, snapshot, updated_at, replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            long siblings = 0, tags = 0, snapshots = 0, versions = 0, generating = 0, writing = 0;
            for (long i = 1; i <= rows; i++) {
                long g0 = System.nanoTime();
                Row r = row(users, now - 90 * 86_400L + (i - 1) * (90 * 86_400L) / rows);
                generating += System.nanoTime() - g0;
                fb.setString(1, r.id);
                fb.setString(2, r.userId);
                fb.setString(3, "rating");
                fb.setString(4, r.data);
                fb.setString(5, r.meta);
                fb.setString(6, r.snapshot);
                fb.setLong(7, r.version);
                fb.setString(8, r.modelId);
                fb.setString(9, r.rating);
                fb.setDouble(10, r.ratingNum);
                fb.setLong(11, r.createdAt);
                fb.setLong(12, r.updatedAt);
                fb.setString(13, r.userId);
                fb.addBatch();
                for (int p = 0; p < r.siblings.size(); p++) {
                    sib.setString(1, r.id);
                    sib.setInt(2, p);
                    sib.setString(3, r.siblings.get(p));
                    sib.addBatch();
                    siblings++;
                }
                int p = 0;
                for (String t : r.tags) {
                    tag.setString(1, r.id);
                    tag.setString(2, t);
                    tag.setInt(3, p++);
                    tag.addBatch();
                    tags++;
                }
                if (r.snapshot != null) {
                    snapshots++;
                }
                if (r.version > 0) {
                    ver.setString(1, r.id);
                    ver.setLong(2, 0);
                    ver.setString(3, "rating");
                    ver.setString(4, r.previousData);
                    ver.setString(5, r.meta);
                    ver.setString(6, r.snapshot);
                    ver.setLong(7, r.createdAt);
                    ver.setLong(8, r.updatedAt);
                    ver.addBatch();
                    versions++;
                }
                if (i % BATCH == 0 || i == rows) {
                    long w0 = System.nanoTime();
                    fb.executeBatch();
                    sib.executeBatch();
                    tag.executeBatch();
                    ver.executeBatch();
                    c.commit();
                    writing += System.nanoTime() - w0;
                    if (i % 100_000 == 0 || i == rows) {
                        System.err.printf("%,d rows, %.1f s (generating %.1f s, executeBatch+commit %.1f s)%n", i,
                                (System.nanoTime() - t0) / 1e9, generating / 1e9, writing / 1e9);
                    }
                }
            }
            System.out.printf("seeded %,d feedback rows (%,d siblings, %,d tags, %,d snapshots, %,d earlier versions) "
                            + "by %d users in %.1f s (%,.0f rows/s)%n", rows, siblings, tags, snapshots, versions, users.size(),
                    (System.nanoTime() - t0) / 1e9, rows / ((System.nanoTime() - t0) / 1e9));
        }
        c.setAutoCommit(true);
        if (!sqlite) {
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE"); // autovacuum would do it shortly anyway
            }
        } else {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
    }

    List<String> seedUsers(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        String sql = "INSERT INTO users (id, email, name, role, profile_image_url, password_hash, is_primary, settings, info, "
                + "last_active_at, created_at, updated_at) VALUES (?, ?, ?, 'user', '/user.png', ?, FALSE, NULL, NULL, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING";
        SplittableRandom userRng = new SplittableRandom(7); // the same users on every run
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int u = 1; u <= USERS; u++) {
                String id = uuid(userRng);
                ids.add(id);
                long created = now - 100 * 86_400L + u * 600L;
                ps.setString(1, id);
                ps.setString(2, String.format("seed%03d@bench.local", u));
                ps.setString(3, FIRST[u % FIRST.length] + " " + LAST[(u * 7) % LAST.length]);
                ps.setString(4, "$2b$12$" + bcryptBase64(userRng, 53)); // 22-char salt + 31-char hash
                ps.setLong(5, now - userRng.nextLong(86_400 * 7L));
                ps.setLong(6, created);
                ps.setLong(7, created);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return ids;
    }

    static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Linus",
            "Frances", "John", "Radia", "Tim", "Guido", "Bjarne", "Hedy", "Claude", "Katherine", "Niklaus", "Shafi"};
    static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson",
            "Torvalds", "Allen", "McCarthy", "Perlman", "Berners-Lee", "van Rossum", "Stroustrup", "Lamarr", "Shannon",
            "Johnson", "Wirth", "Goldwasser"};

    static String bcryptBase64(SplittableRandom r, int n) {
        String alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    static String uuid(SplittableRandom r) {
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    record Row(String id, String userId, String data, String previousData, String meta, String snapshot, long version,
               String modelId, String rating, double ratingNum, List<String> siblings, Set<String> tags,
               long createdAt, long updatedAt) {}

    Row row(List<String> users, long createdAround) {
        String id = uuid(rng);
        String model = MODELS[skewed(MODELS.length)];
        long created = Math.min(now, createdAround + rng.nextLong(60));
        // rating: 90% 1/-1 (70% numbers, 30% strings), 10% a 1-10 score
        String ratingJson, ratingStr;
        double ratingNum;
        boolean thumbs = rng.nextInt(100) < 90;
        if (thumbs) {
            int v = rng.nextInt(100) < 55 ? 1 : -1;
            ratingStr = Integer.toString(v);
            ratingNum = v;
            ratingJson = rng.nextInt(100) < 70 ? ratingStr : "\"" + ratingStr + "\"";
        } else {
            int v = 1 + rng.nextInt(10);
            ratingStr = Integer.toString(v);
            ratingNum = v;
            ratingJson = ratingStr;
        }
        List<String> siblings = new ArrayList<>();
        if (rng.nextBoolean()) {
            int n = 1 + rng.nextInt(2);
            while (siblings.size() < n) {
                String s = MODELS[rng.nextInt(MODELS.length)];
                if (!s.equals(model) && !siblings.contains(s)) {
                    siblings.add(s);
                }
            }
        }
        Set<String> tags = new LinkedHashSet<>();
        int nTags = rng.nextInt(4);
        while (tags.size() < nTags) {
            tags.add(TAGS[rng.nextInt(TAGS.length)]);
        }
        boolean positive = ratingNum > 0 && (thumbs || ratingNum >= 6);
        String reason = rng.nextInt(100) < 60 ? (positive ? GOOD[rng.nextInt(GOOD.length)] : BAD[rng.nextInt(BAD.length)]) : "";
        String comment = rng.nextInt(100) < 30 ? words(3 + rng.nextInt(30)) : "";
        Integer details = null;
        if (!thumbs) {
            details = (int) ratingNum;
        } else if (rng.nextInt(100) < 40) {
            details = 1 + rng.nextInt(10);
        }
        String data = data(ratingJson, model, siblings, reason, comment, tags, details);
        String chatId = uuid(rng), messageId = uuid(rng);
        String meta = "{\"arena\":" + (!siblings.isEmpty() && model.equals("arena-model") ? "true" : "false")
                + ",\"chat_id\":\"" + chatId + "\",\"message_id\":\"" + messageId + "\",\"message_index\":"
                + (1 + 2 * rng.nextInt(12)) + ",\"tags\":[],\"base_models\":{}}";
        String snapshot = rng.nextInt(100) < 5 ? snapshot(chatId, messageId, model) : null;
        long version = 0, updated = created;
        String previous = null;
        if (rng.nextInt(100) < 5) {
            version = 1;
            updated = Math.min(now, created + rng.nextLong(3 * 86_400L));
            String oldRating = ratingJson.startsWith("-") || ratingJson.startsWith("\"-") ? "1" : "-1";
            previous = data(oldRating, model, siblings, "", "", tags, null);
        }
        return new Row(id, users.get(rng.nextInt(users.size())), data, previous, meta, snapshot, version, model,
                ratingStr, ratingNum, siblings, tags, created, updated);
    }

    /** A few popular models, a long tail. */
    int skewed(int n) {
        double x = rng.nextDouble();
        return Math.min(n - 1, (int) (n * x * x));
    }

    static String data(String ratingJson, String model, List<String> siblings, String reason, String comment,
                       Set<String> tags, Integer details) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"rating\":").append(ratingJson).append(",\"model_id\":").append(str(model))
                .append(",\"sibling_model_ids\":");
        if (siblings.isEmpty()) {
            sb.append("null");
        } else {
            array(sb, siblings);
        }
        sb.append(",\"reason\":").append(str(reason)).append(",\"comment\":").append(str(comment)).append(",\"tags\":");
        array(sb, tags);
        if (details != null) {
            sb.append(",\"details\":{\"rating\":").append(details).append('}');
        }
        return sb.append('}').toString();
    }

    static void array(StringBuilder sb, Iterable<String> items) {
        sb.append('[');
        boolean first = true;
        for (String s : items) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(str(s));
        }
        sb.append(']');
    }

    static String str(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    String words(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[rng.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    /** A two-message chat of about 2 KB, as Open WebUI attaches to feedback (snapshot.chat). */
    String snapshot(String chatId, String messageId, String model) {
        String userId = uuid(rng);
        String question = words(25);
        String answer = words(110) + "\n\n```python\nprint(sum(range(10)))\n```";
        long ts = now - rng.nextLong(90 * 86_400L);
        String user = "{\"id\":\"" + userId + "\",\"parentId\":null,\"childrenIds\":[\"" + messageId
                + "\"],\"role\":\"user\",\"content\":" + str(question) + ",\"timestamp\":" + ts + ",\"models\":[" + str(model) + "]}";
        String assistant = "{\"id\":\"" + messageId + "\",\"parentId\":\"" + userId + "\",\"childrenIds\":[],"
                + "\"role\":\"assistant\",\"content\":" + str(answer) + ",\"model\":" + str(model) + ",\"done\":true,"
                + "\"timestamp\":" + (ts + 4) + "}";
        return "{\"chat\":{\"id\":\"" + chatId + "\",\"title\":\"Benchmark chat\",\"models\":[" + str(model) + "],"
                + "\"history\":{\"messages\":{\"" + userId + "\":" + user + ",\"" + messageId + "\":" + assistant
                + "},\"currentId\":\"" + messageId + "\"},\"messages\":[" + user + "," + assistant + "],\"tags\":[],"
                + "\"timestamp\":" + ts * 1000 + "}}";
    }
}
