package verity.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import verity.App;
import verity.config.Config;

/**
 * A real Verity server on a random port with its own DATA_DIR and database (SQLite file or a throwaway
 * PostgreSQL database). {@link #shared(Db)} gives one long-lived server per database for tests that do not
 * need an empty one; its admin is created from WEBUI_ADMIN_EMAIL.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_EMAIL = "admin@verity.test";
    public static final String ADMIN_PASSWORD = "admin-password";
    public static final String SECRET = "t0p-s3cr3t";

    private static final Map<Db, TestServer> SHARED = new EnumMap<>(Db.class);

    public final Db db;
    public final Path dataDir;
    public final Map<String, String> env;
    private final String postgresUrl;
    private final Clock clock;
    private App app;
    public Api api;

    private TestServer(Db db, Map<String, String> overrides) {
        this(db, overrides, Clock.systemUTC());
    }

    private TestServer(Db db, Map<String, String> overrides, Clock clock) {
        if (db == Db.POSTGRES) {
            Assumptions.assumeTrue(Postgres.available(), "PostgreSQL is not reachable: suite skipped");
        }
        this.db = db;
        this.clock = clock;
        try {
            this.dataDir = Files.createTempDirectory("verity-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.postgresUrl = db == Db.POSTGRES ? Postgres.createDatabase() : null;
        Map<String, String> vars = new HashMap<>();
        vars.put("DATA_DIR", dataDir.toString());
        vars.put("HOST", "127.0.0.1");
        vars.put("PORT", "0");
        vars.put("BCRYPT_ROUNDS", "4");
        vars.put("WEBUI_SECRET_KEY", SECRET);
        if (postgresUrl != null) {
            vars.put("DATABASE_URL", postgresUrl);
        }
        vars.putAll(overrides);
        vars.values().removeIf(v -> v == null);
        this.env = Map.copyOf(vars);
        start();
    }

    /** A fresh server with an empty database. */
    public static TestServer fresh(Db db, Map<String, String> env) {
        return new TestServer(db, env);
    }

    /** A fresh server with an empty database whose notion of "now" is {@code clock} (e.g. a {@link MutableClock}). */
    public static TestServer fresh(Db db, Map<String, String> env, Clock clock) {
        return new TestServer(db, env, clock);
    }

    public static TestServer fresh(Db db) {
        return fresh(db, Map.of());
    }

    /** The long-lived server for {@code db}, with an admin account already created. */
    public static synchronized TestServer shared(Db db) {
        if (db == Db.POSTGRES) {
            Assumptions.assumeTrue(Postgres.available(), "PostgreSQL is not reachable: suite skipped");
        }
        return SHARED.computeIfAbsent(db, d -> {
            TestServer server = new TestServer(d, Map.of(
                    "WEBUI_ADMIN_EMAIL", ADMIN_EMAIL, "WEBUI_ADMIN_PASSWORD", ADMIN_PASSWORD,
                    "RATE_LIMIT_PER_MINUTE", "0"));
            // lives as long as the test JVM; its throwaway PostgreSQL database and data directory go with it
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            return server;
        });
    }

    private void start() {
        app = App.create(Config.fromEnv(env), clock).start();
        api = new Api("http://127.0.0.1:" + app.port());
    }

    /** Stops and starts the server again on the same data (a process restart). */
    public void restart() {
        app.close();
        start();
    }

    public App app() {
        return app;
    }

    /** A signed-in account on this server. */
    public Api.Account admin() {
        return api.signin(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    /** A new account with the given role, created by the admin. */
    public Api.Account newUser(String role) {
        String email = role + "-" + UUID.randomUUID().toString().substring(0, 8) + "@verity.test";
        Api.Account admin = admin();
        api.post("/api/auths/add", admin.token(), Map.of("name", "Test " + role, "email", email,
                "password", "password-1", "role", role)).expect(200);
        return api.signin(email, "password-1");
    }

    @Override
    public void close() {
        app.close();
        if (postgresUrl != null) {
            Postgres.dropDatabase(postgresUrl);
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary files only
        }
    }
}
