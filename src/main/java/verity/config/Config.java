package verity.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything Verity reads from the environment, read once at start-up. Names and defaults follow Open WebUI
 * where it has the setting; Verity's own settings are listed in the README.
 */
public record Config(
        String name,
        Path dataDir,
        DatabaseUrl database,
        String host,
        int port,
        Optional<String> secretKey,
        Path secretKeyFile,
        Optional<Duration> jwtExpiresIn,
        boolean enableSignup,
        String defaultUserRole,
        boolean enableApiKeys,
        Optional<AdminSeed> adminSeed,
        List<String> corsAllowOrigins,
        int rateLimitPerMinute,
        long maxBodySize,
        int bcryptRounds,
        boolean cookieSecure,
        String cookieSameSite,
        boolean enableEvaluationArenaModels,
        String evaluationArenaModels,
        Upstreams upstreams,
        Duration upstreamTimeout,
        Proxies proxies,
        Rag rag) {

    /** Model servers from OLLAMA_BASE_URL(S), OPENAI_API_BASE_URL(S) and OPENAI_API_KEY(S); keys are positional. */
    public record Upstreams(boolean enableOllama, List<String> ollamaBaseUrls, boolean enableOpenAi,
                            List<String> openAiBaseUrls, List<String> openAiKeys) {}

    /** The headless first admin from WEBUI_ADMIN_EMAIL / _PASSWORD / _NAME. */
    public record AdminSeed(String email, String password, String name) {}

    public static Config fromEnv(Map<String, String> vars) {
        Env env = new Env(vars);
        Path dataDir = Path.of(env.string("DATA_DIR", "./data")).toAbsolutePath().normalize();
        DatabaseUrl database = env.get("DATABASE_URL")
                .map(url -> DatabaseUrl.parse("DATABASE_URL", url))
                .orElse(DatabaseUrl.sqlite(dataDir.resolve("webui.db")));
        String role = env.string("DEFAULT_USER_ROLE", "pending").toLowerCase(Locale.ROOT);
        if (!List.of("pending", "user", "admin").contains(role)) {
            throw new ConfigException("DEFAULT_USER_ROLE", "expected pending, user or admin, got '" + role + "'");
        }
        String sameSite = env.string("WEBUI_AUTH_COOKIE_SAME_SITE", "lax").toLowerCase(Locale.ROOT);
        if (!List.of("lax", "strict", "none").contains(sameSite)) {
            throw new ConfigException("WEBUI_AUTH_COOKIE_SAME_SITE", "expected lax, strict or none, got '" + sameSite + "'");
        }
        return new Config(
                env.string("WEBUI_NAME", "Verity"),
                dataDir,
                database,
                env.string("HOST", "0.0.0.0"),
                env.integer("PORT", 8080, 0, 65535),
                env.get("WEBUI_SECRET_KEY").or(() -> env.get("WEBUI_JWT_SECRET_KEY")),
                env.get("WEBUI_SECRET_KEY_FILE").map(Path::of).orElse(dataDir.resolve(".webui_secret_key")),
                env.expiry("JWT_EXPIRES_IN", "4w"),
                env.bool("ENABLE_SIGNUP", true),
                role,
                env.bool("ENABLE_API_KEYS", true),
                adminSeed(env),
                corsOrigins(env.string("CORS_ALLOW_ORIGIN", "*")),
                env.integer("RATE_LIMIT_PER_MINUTE", 100, 0, 1_000_000),
                env.size("MAX_BODY_SIZE", 32L << 20),
                env.integer("BCRYPT_ROUNDS", 12, 4, 16),
                env.bool("WEBUI_AUTH_COOKIE_SECURE", false),
                sameSite,
                env.bool("ENABLE_EVALUATION_ARENA_MODELS", true),
                jsonList(env, "EVALUATION_ARENA_MODELS"),
                upstreams(env),
                Duration.ofSeconds(env.integer("AIOHTTP_CLIENT_TIMEOUT", 300, 1, 86_400)),
                Proxies.fromEnv(env),
                Rag.fromEnv(env, dataDir));
    }

    private static Optional<AdminSeed> adminSeed(Env env) {
        Optional<String> email = env.get("WEBUI_ADMIN_EMAIL");
        Optional<String> password = env.get("WEBUI_ADMIN_PASSWORD");
        if (email.isPresent() != password.isPresent()) {
            throw new ConfigException(email.isPresent() ? "WEBUI_ADMIN_PASSWORD" : "WEBUI_ADMIN_EMAIL",
                    "WEBUI_ADMIN_EMAIL and WEBUI_ADMIN_PASSWORD must be set together");
        }
        return email.map(e -> new AdminSeed(e, password.get(), env.string("WEBUI_ADMIN_NAME", "Admin")));
    }

    private static Upstreams upstreams(Env env) {
        List<String> ollama = urls(env, "OLLAMA_BASE_URLS", "OLLAMA_BASE_URL", "http://localhost:11434");
        List<String> openAi = urls(env, "OPENAI_API_BASE_URLS", "OPENAI_API_BASE_URL", "https://api.openai.com/v1");
        List<String> keys = env.get("OPENAI_API_KEYS").map(v -> Arrays.stream(v.split(";", -1)).map(String::trim).toList())
                .orElse(List.of(env.string("OPENAI_API_KEY", "")));
        return new Upstreams(env.bool("ENABLE_OLLAMA_API", true), ollama, env.bool("ENABLE_OPENAI_API", true), openAi, keys);
    }

    /** A ';'-separated list of http(s) URLs (the plural variable wins over the singular one), trailing '/' removed. */
    private static List<String> urls(Env env, String plural, String singular, String fallback) {
        String name = env.get(plural).isPresent() ? plural : singular;
        String raw = env.get(plural).or(() -> env.get(singular)).orElse(fallback);
        return Arrays.stream(raw.split(";")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Env.url(name, s, "expected http(s) URLs separated by ';'")).toList();
    }

    /** A JSON array given as text; validated here so a typo stops start-up. */
    private static String jsonList(Env env, String name) {
        String raw = env.string(name, "[]");
        try {
            if (!verity.http.Json.read(raw).isArray()) {
                throw new ConfigException(name, "expected a JSON array, e.g. [{\"id\": \"arena\", \"name\": \"Arena\"}]");
            }
        } catch (tools.jackson.core.JacksonException e) {
            throw new ConfigException(name, "not valid JSON (" + e.getOriginalMessage() + ")");
        }
        return raw;
    }

    private static List<String> corsOrigins(String raw) {
        List<String> origins = Arrays.stream(raw.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String origin : origins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                throw new ConfigException("CORS_ALLOW_ORIGIN", "expected * or origins like https://host:port separated by ';', got '" + origin + "'");
            }
        }
        return origins.isEmpty() ? List.of("*") : origins;
    }
}
