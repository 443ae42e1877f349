package verity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import verity.App;

class ConfigTest {
    @TempDir
    Path tmp;

    static Config config(String... keyValues) {
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            vars.put(keyValues[i], keyValues[i + 1]);
        }
        return Config.fromEnv(vars);
    }

    /** Asserts the value is refused with a message that starts with the variable's name. */
    static ConfigException rejects(String variable, String... keyValues) {
        ConfigException e = assertThrows(ConfigException.class, () -> config(keyValues));
        assertTrue(e.getMessage().startsWith(variable + ":"), e.getMessage());
        return e;
    }

    @Test
    void an_empty_environment_gives_open_webui_defaults() {
        Config c = config();
        Path data = Path.of("./data").toAbsolutePath().normalize();
        assertEquals(data, c.dataDir());
        assertTrue(c.dataDir().isAbsolute());
        assertEquals(DatabaseUrl.Kind.SQLITE, c.database().kind());
        assertEquals("jdbc:sqlite:" + data.resolve("webui.db"), c.database().jdbcUrl());
        assertEquals(8080, c.port());
        assertEquals("0.0.0.0", c.host());
        assertEquals(Optional.of(Duration.ofDays(28)), c.jwtExpiresIn());
        assertTrue(c.enableSignup());
        assertEquals("pending", c.defaultUserRole());
        assertTrue(c.enableApiKeys());
        assertEquals(List.of("*"), c.corsAllowOrigins());
        assertEquals(100, c.rateLimitPerMinute());
        assertEquals(12, c.bcryptRounds());
        assertEquals(32L << 20, c.maxBodySize());
        assertEquals(Optional.empty(), c.secretKey());
        assertEquals(data.resolve(".webui_secret_key"), c.secretKeyFile());
        assertEquals(Optional.empty(), c.adminSeed());
        assertEquals("Verity", c.name());
    }

    @Test
    void data_dir_moves_the_default_sqlite_file_and_key_file() {
        Config c = config("DATA_DIR", tmp.toString());
        assertEquals("jdbc:sqlite:" + tmp.resolve("webui.db"), c.database().jdbcUrl());
        assertEquals(tmp.resolve(".webui_secret_key"), c.secretKeyFile());
    }

    @Test
    void jwt_expires_in_accepts_open_webui_durations() {
        assertEquals(Optional.of(Duration.ofHours(36)), config("JWT_EXPIRES_IN", "1d12h").jwtExpiresIn());
        assertEquals(Optional.of(Duration.ofMillis(500)), config("JWT_EXPIRES_IN", "500ms").jwtExpiresIn());
        assertEquals(Optional.of(Duration.ofMinutes(90)), config("JWT_EXPIRES_IN", "1.5h").jwtExpiresIn());
        assertEquals(Optional.of(Duration.ofMinutes(30)), config("JWT_EXPIRES_IN", "30m").jwtExpiresIn());
        assertEquals(Optional.of(Duration.ofDays(14)), config("JWT_EXPIRES_IN", "2w").jwtExpiresIn());
        assertEquals(Optional.empty(), config("JWT_EXPIRES_IN", "-1").jwtExpiresIn(), "-1 means no expiry");
        assertEquals(Optional.empty(), config("JWT_EXPIRES_IN", "0").jwtExpiresIn(), "0 means no expiry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4x", "abc", "1d-", "h", "12", "w4"})
    void jwt_expires_in_rejects_malformed_durations(String value) {
        rejects("JWT_EXPIRES_IN", "JWT_EXPIRES_IN", value);
    }

    @Test
    void a_blank_value_counts_as_unset_and_takes_the_default() {
        // Env treats blank as unset for every variable, so JWT_EXPIRES_IN="" is the 4w default, not an error.
        assertEquals(Optional.of(Duration.ofDays(28)), config("JWT_EXPIRES_IN", "").jwtExpiresIn());
        assertEquals(8080, config("PORT", "  ").port());
    }

    @Test
    void integers_and_booleans_are_checked() {
        rejects("PORT", "PORT", "abc");
        ConfigException range = rejects("PORT", "PORT", "70000");
        assertTrue(range.getMessage().contains("65535"), range.getMessage());
        assertEquals(9000, config("PORT", "9000").port());
        rejects("ENABLE_SIGNUP", "ENABLE_SIGNUP", "maybe");
        assertFalse(config("ENABLE_SIGNUP", "false").enableSignup());
        assertFalse(config("ENABLE_SIGNUP", "0").enableSignup());
        assertTrue(config("ENABLE_SIGNUP", "True").enableSignup());
        assertFalse(config("ENABLE_API_KEYS", "off").enableApiKeys());
        rejects("RATE_LIMIT_PER_MINUTE", "RATE_LIMIT_PER_MINUTE", "-1");
        assertEquals(0, config("RATE_LIMIT_PER_MINUTE", "0").rateLimitPerMinute());
        rejects("BCRYPT_ROUNDS", "BCRYPT_ROUNDS", "3");
    }

    @Test
    void default_user_role_must_be_a_known_role() {
        rejects("DEFAULT_USER_ROLE", "DEFAULT_USER_ROLE", "boss");
        assertEquals("user", config("DEFAULT_USER_ROLE", "User").defaultUserRole());
        assertEquals("admin", config("DEFAULT_USER_ROLE", "admin").defaultUserRole());
    }

    @Test
    void cors_allow_origin_takes_semicolon_separated_origins() {
        assertEquals(List.of("http://a.com", "https://b.org:8443"),
                config("CORS_ALLOW_ORIGIN", "http://a.com;https://b.org:8443").corsAllowOrigins());
        assertEquals(List.of("*"), config("CORS_ALLOW_ORIGIN", "*").corsAllowOrigins());
        rejects("CORS_ALLOW_ORIGIN", "CORS_ALLOW_ORIGIN", "ftp://x");
        rejects("CORS_ALLOW_ORIGIN", "CORS_ALLOW_ORIGIN", "http://a.com/path");
    }

    @Test
    void database_url_in_sqlalchemy_form_becomes_jdbc_with_decoded_credentials() {
        DatabaseUrl pg = config("DATABASE_URL", "postgres://u:p%40ss@h:5433/db").database();
        assertEquals(DatabaseUrl.Kind.POSTGRES, pg.kind());
        assertEquals("jdbc:postgresql://h:5433/db", pg.jdbcUrl());
        assertEquals("u", pg.user());
        assertEquals("p@ss", pg.password());
        assertFalse(pg.toString().contains("p@ss"), "toString never shows the password");

        DatabaseUrl driver = DatabaseUrl.parse("DATABASE_URL", "postgresql+psycopg2://me:pw@db.internal/webui?sslmode=require");
        assertEquals(DatabaseUrl.Kind.POSTGRES, driver.kind());
        assertEquals("jdbc:postgresql://db.internal/webui?sslmode=require", driver.jdbcUrl());
        assertEquals("me", driver.user());
        assertEquals("pw", driver.password());

        DatabaseUrl noAuth = DatabaseUrl.parse("DATABASE_URL", "postgresql://localhost:5432/x");
        assertNull(noAuth.user());
        assertNull(noAuth.password());
    }

    @Test
    void database_url_sqlite_paths_follow_sqlalchemy_slashes() {
        DatabaseUrl rel = DatabaseUrl.parse("DATABASE_URL", "sqlite:///rel.db");
        assertEquals(DatabaseUrl.Kind.SQLITE, rel.kind());
        assertEquals("jdbc:sqlite:" + Path.of("rel.db").toAbsolutePath().normalize(), rel.jdbcUrl());
        DatabaseUrl abs = DatabaseUrl.parse("DATABASE_URL", "sqlite:////abs/x.db");
        assertEquals("jdbc:sqlite:/abs/x.db", abs.jdbcUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://x", "sqlite:///", "postgresql://", "postgres://host", "not a url", "postgresql://h /db"})
    void database_url_rejects_unsupported_or_malformed_urls(String url) {
        rejects("DATABASE_URL", "DATABASE_URL", url);
    }

    @Test
    void admin_email_and_password_go_together() {
        rejects("WEBUI_ADMIN_PASSWORD", "WEBUI_ADMIN_EMAIL", "a@b.c");
        rejects("WEBUI_ADMIN_EMAIL", "WEBUI_ADMIN_PASSWORD", "pw");
        Config.AdminSeed seed = config("WEBUI_ADMIN_EMAIL", "a@b.c", "WEBUI_ADMIN_PASSWORD", "pw").adminSeed().orElseThrow();
        assertEquals(new Config.AdminSeed("a@b.c", "pw", "Admin"), seed);
        assertEquals("Boss", config("WEBUI_ADMIN_EMAIL", "a@b.c", "WEBUI_ADMIN_PASSWORD", "pw", "WEBUI_ADMIN_NAME", "Boss")
                .adminSeed().orElseThrow().name());
    }

    @Test
    void max_body_size_takes_binary_suffixes() {
        assertEquals(512L * 1024, config("MAX_BODY_SIZE", "512k").maxBodySize());
        assertEquals(10L * 1024 * 1024, config("MAX_BODY_SIZE", "10m").maxBodySize());
        assertEquals(1L << 30, config("MAX_BODY_SIZE", "1GiB").maxBodySize());
        assertEquals(4096, config("MAX_BODY_SIZE", "4096").maxBodySize());
        rejects("MAX_BODY_SIZE", "MAX_BODY_SIZE", "lots");
        rejects("MAX_BODY_SIZE", "MAX_BODY_SIZE", "12");
    }

    @Test
    void the_secret_key_falls_back_to_webui_jwt_secret_key() {
        assertEquals(Optional.of("a"), config("WEBUI_SECRET_KEY", "a", "WEBUI_JWT_SECRET_KEY", "b").secretKey());
        assertEquals(Optional.of("b"), config("WEBUI_JWT_SECRET_KEY", "b").secretKey());
    }

    @Test
    void env_values_are_trimmed() {
        Env env = new Env(Map.of("A", "  x  ", "B", ""));
        assertEquals(Optional.of("x"), env.get("A"));
        assertEquals(Optional.empty(), env.get("B"));
        assertEquals("fallback", env.string("C", "fallback"));
    }

    @Test
    void app_create_refuses_an_unusable_secret_key_file() throws IOException {
        Path regularFile = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Config c = config("DATA_DIR", tmp.resolve("data").toString(), "PORT", "0", "HOST", "127.0.0.1",
                "BCRYPT_ROUNDS", "4", "WEBUI_SECRET_KEY_FILE", regularFile.resolve("key").toString());
        ConfigException e = assertThrows(ConfigException.class, () -> App.create(c, Clock.systemUTC()).close());
        assertTrue(e.getMessage().startsWith("WEBUI_SECRET_KEY_FILE:"), e.getMessage());
    }

    @Test
    void app_create_refuses_an_empty_secret_key_file() throws IOException {
        Path keyFile = Files.writeString(tmp.resolve("key"), "  \n");
        Config c = config("DATA_DIR", tmp.resolve("data").toString(), "PORT", "0", "HOST", "127.0.0.1",
                "BCRYPT_ROUNDS", "4", "WEBUI_SECRET_KEY_FILE", keyFile.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> App.create(c, Clock.systemUTC()).close());
        assertTrue(e.getMessage().startsWith("WEBUI_SECRET_KEY_FILE:"), e.getMessage());
    }

    @Test
    void main_prints_one_line_naming_the_bad_variable_and_exits_non_zero() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "verity.Main");
        pb.environment().keySet().removeIf(k -> k.startsWith("WEBUI_") || k.equals("DATABASE_URL"));
        pb.environment().put("PORT", "abc");
        pb.environment().put("DATA_DIR", tmp.resolve("data").toString());
        pb.redirectOutput(tmp.resolve("stdout").toFile());
        pb.redirectError(tmp.resolve("stderr").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "verity.Main did not exit");
        assertNotEquals(0, p.exitValue());
        List<String> lines = Files.readAllLines(tmp.resolve("stderr"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), () -> "expected one line on stderr, got " + lines);
        assertTrue(lines.getFirst().contains("PORT") && lines.getFirst().contains("abc"), lines.getFirst());
        assertFalse(Files.exists(tmp.resolve("data").resolve("webui.db")), "nothing is created on a config error");
    }
}
