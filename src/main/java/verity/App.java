package verity;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson3;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import verity.auth.ApiKeyStore;
import verity.auth.AuthRoutes;
import verity.auth.AuthService;
import verity.auth.Authenticator;
import verity.auth.Credentials;
import verity.auth.Passwords;
import verity.auth.RevokedTokenStore;
import verity.auth.SecretKeys;
import verity.auth.SessionCookie;
import verity.auth.Tokens;
import verity.chats.ChatRoutes;
import verity.chats.ChatService;
import io.javalin.config.SizeUnit;
import verity.config.Config;
import verity.config.Rag;
import verity.files.FileRoutes;
import verity.files.FileService;
import verity.files.FileStorage;
import verity.files.FileStore;
import verity.files.LocalFileStorage;
import verity.knowledge.KnowledgeRoutes;
import verity.knowledge.KnowledgeService;
import verity.retrieval.ChunkIndex;
import verity.retrieval.Embedder;
import verity.retrieval.EmbeddingTopics;
import verity.retrieval.Ingestion;
import verity.retrieval.LuceneChunkIndex;
import verity.retrieval.RagAugmenter;
import verity.retrieval.RemoteEmbedder;
import verity.retrieval.LocalEmbedder;
import verity.retrieval.RetrievalRoutes;
import verity.retrieval.RetrievalService;
import verity.retrieval.TextExtractor;
import verity.retrieval.TextSplitter;
import verity.evaluation.AgreementService;
import verity.evaluation.ComparisonSource;
import verity.evaluation.DatasetExport;
import verity.evaluation.RatingRoutes;
import verity.evaluation.RatingService;
import verity.evaluation.EvaluationRoutes;
import verity.evaluation.EvaluationSettings;
import verity.evaluation.LeaderboardService;
import verity.feedback.FeedbackRoutes;
import verity.feedback.FeedbackService;
import verity.cohere.CohereRoutes;
import verity.gateway.CompletionRoutes;
import verity.helicone.HeliconeRoutes;
import verity.requestlog.RequestAccess;
import verity.gateway.CompletionService;
import verity.gateway.ConnectionSettings;
import verity.gateway.CustomModelService;
import verity.gateway.ModelCatalog;
import verity.gateway.ModelRoutes;
import verity.gateway.OllamaProxy;
import verity.gateway.Upstream;
import verity.requestlog.RequestLogRoutes;
import verity.requestlog.RequestLogStore;
import verity.requestlog.RequestLogWriter;
import verity.settings.Settings;
import verity.db.Database;
import verity.http.ApiException;
import verity.http.ErrorHandlers;
import verity.http.Json;
import verity.http.JsonErrorHandler;
import verity.http.OpenApi;
import verity.http.RequestIds;
import verity.http.ServerTiming;
import verity.http.Route;
import verity.http.RouteTable;
import verity.ratelimit.InProcessRateLimiter;
import verity.system.DocsRoutes;
import verity.system.SystemRoutes;
import verity.users.Emails;
import verity.users.UserRoutes;
import verity.users.UserService;
import verity.users.UserStore;

/** The composition root: builds every component with plain {@code new}, wires the routes, and owns shutdown. */
public final class App implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);
    public static final String VERSION = readVersion();

    private final Config config;
    private final Database db;
    private final ExecutorService background;
    private final List<AutoCloseable> closeables;
    private final RouteTable routes;
    private final Javalin server;

    private App(Config config, Database db, ExecutorService background, List<AutoCloseable> closeables,
                RouteTable routes, Javalin server) {
        this.config = config;
        this.db = db;
        this.background = background;
        this.closeables = closeables;
        this.routes = routes;
        this.server = server;
    }

    public static App create(Config config, Clock clock) {
        Database db = Database.open(config.database());
        try {
            return wire(config, clock, db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static App wire(Config config, Clock clock, Database db) {
        ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
        List<AutoCloseable> closeables = new ArrayList<>();
        String secret = SecretKeys.resolve(config.secretKey(), config.secretKeyFile());

        Passwords passwords = new Passwords(config.bcryptRounds());
        UserStore userStore = new UserStore(db);
        UserService users = new UserService(userStore, db, passwords, clock, config.defaultUserRole());
        Tokens tokens = new Tokens(secret, config.jwtExpiresIn(), clock);
        ApiKeyStore apiKeys = new ApiKeyStore(db);
        RevokedTokenStore revoked = new RevokedTokenStore(db);
        Credentials credentials = new Credentials(tokens, apiKeys, revoked, userStore, config.enableApiKeys(), clock, background);
        users.onChange(credentials::forgetAll);
        AuthService auth = new AuthService(users, passwords, tokens, credentials, apiKeys, revoked, clock,
                config.enableSignup(), config.enableApiKeys());
        InProcessRateLimiter limiter = config.rateLimitPerMinute() > 0
                ? new InProcessRateLimiter(config.rateLimitPerMinute(), Duration.ofMinutes(1), clock) : null;
        Authenticator authenticator = new Authenticator(credentials, limiter);

        revoked.purgeExpired(clock.instant().getEpochSecond());
        seedAdmin(config, users);

        List<Route> all = new ArrayList<>();
        all.addAll(new SystemRoutes(db, users, config.name(), VERSION,
                new SystemRoutes.Features(config.enableSignup(), config.enableApiKeys())).routes());
        all.addAll(new AuthRoutes(auth, new SessionCookie(config.cookieSecure(), config.cookieSameSite(), clock),
                config.enableApiKeys()).routes());
        all.addAll(new UserRoutes(users).routes());
        all.addAll(new ChatRoutes(new ChatService(db, clock)).routes());
        FeedbackService feedback = new FeedbackService(db, clock);
        users.onChange(feedback::touch);
        users.onDeleted(feedback::userDeleted);
        feedback.games().loadInBackground();
        all.addAll(new FeedbackRoutes(feedback).routes());
        Settings settings = new Settings(db, clock);
        EvaluationSettings evaluationSettings = new EvaluationSettings(settings, config.enableEvaluationArenaModels(),
                config.evaluationArenaModels());

        Upstream upstream = new Upstream(config.upstreamTimeout(), config.proxies());
        ConnectionSettings connections = new ConnectionSettings(settings, config.upstreams());
        CustomModelService customModels = new CustomModelService(db, clock);
        ModelCatalog catalog = new ModelCatalog(connections, upstream, customModels, evaluationSettings, background);
        RequestLogStore requestLog = new RequestLogStore(db);
        RequestLogWriter requestLogWriter = new RequestLogWriter(requestLog);
        closeables.add(requestLogWriter);
        all.addAll(new ModelRoutes(catalog, customModels, connections).routes());
        all.addAll(new RequestLogRoutes(requestLog, requestLogWriter).routes());
        RequestAccess requestAccess = new RequestAccess(requestLog, requestLogWriter);
        Rag rag = config.rag();
        FileStore fileStore = new FileStore(db);
        FileStorage storage = new LocalFileStorage(rag.uploadDir());
        FileService files = new FileService(fileStore, storage, rag, clock);
        Embedder embedder = embedder(rag, upstream);
        ChunkIndex index = new LuceneChunkIndex(rag.indexDir().resolve(embedder.id().replaceAll("[^A-Za-z0-9._-]", "_")));
        closeables.add(index);
        Ingestion ingestion = new Ingestion(fileStore, storage, new TextExtractor(),
                new TextSplitter(rag.chunkSize(), rag.chunkOverlap()), embedder, index, rag.embeddingBatchSize(), clock);
        closeables.add(ingestion);
        files.indexWith(ingestion);
        users.onDelete(files::deleteAllOf);
        KnowledgeService knowledge = new KnowledgeService(db, fileStore, files, clock);
        RetrievalService retrieval = new RetrievalService(files, knowledge, embedder, index, ingestion, rag);
        all.addAll(new FileRoutes(files, rag.fileMaxSize()).routes());
        all.addAll(new KnowledgeRoutes(knowledge).routes());
        all.addAll(new RetrievalRoutes(retrieval).routes());
        CompletionRoutes completions = new CompletionRoutes(new CompletionService(catalog, upstream, requestLogWriter, clock),
                new OllamaProxy(catalog, connections, upstream), requestAccess, new RagAugmenter(retrieval));
        all.addAll(completions.routes());
        all.addAll(new EvaluationRoutes(new LeaderboardService(feedback, clock, ZoneId.systemDefault(), new EmbeddingTopics(embedder)), evaluationSettings,
                new DatasetExport(feedback, requestLog)).routes());
        all.addAll(new RatingRoutes(new RatingService(new ComparisonSource(feedback), feedback), new AgreementService(feedback),
                feedback, requestAccess).routes());
        all.addAll(new HeliconeRoutes(requestAccess, requestLog, feedback, clock).routes());
        all.addAll(new CohereRoutes(requestAccess, feedback).routes());
        RouteTable[] table = new RouteTable[1];
        all.addAll(new DocsRoutes(() -> OpenApi.document(table[0], config.name() + " API", VERSION), config.name()).routes());
        table[0] = new RouteTable(all);
        ingestion.resumePending();

        Javalin server = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.jsonMapper(new JavalinJackson3(Json.MAPPER, false));
            cfg.http.maxRequestSize = config.maxBodySize();
            cfg.jetty.multipartConfig.maxFileSize(rag.fileMaxSize(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(rag.fileMaxSize() + MULTIPART_OVERHEAD, SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            cfg.http.prefer405over404 = false;
            // Streams (SSE, NDJSON, exports) must reach the client as written; a proxy in front may compress.
            cfg.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
            cfg.router.ignoreTrailingSlashes = true;
            cfg.router.treatMultipleSlashesAsSingleSlash = true;
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            cfg.startup.showJavalinBanner = false;
            // Jetty's parser looks every header up in a trie of common "name: value" lines (7 % of a proxied
            // completion's samples); parsing them plainly was 7 % cheaper per request (bench/GATEWAY.md).
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
            cfg.jetty.modifyServer(jetty -> {
                jetty.setErrorHandler(new JsonErrorHandler());
                // Javalin puts its servlet inside a wrapper it finds here: completions are served before it.
                jetty.setHandler(completions.handler(authenticator, config.maxBodySize()));
            });
            cfg.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                if (config.corsAllowOrigins().contains("*")) {
                    rule.anyHost();
                } else {
                    config.corsAllowOrigins().forEach(rule::allowHost);
                    rule.allowCredentials = true;
                }
                rule.exposeHeader("X-Request-Id");
                rule.exposeHeader("X-RateLimit-Limit");
                rule.exposeHeader("X-RateLimit-Remaining");
                rule.exposeHeader("X-RateLimit-Reset");
                rule.exposeHeader("Retry-After");
            }));
            cfg.routes.before(ctx -> {
                RequestIds.assign(ctx);
                ServerTiming.start(ctx);
                long length = ctx.contentLength();
                if (FileRoutes.UPLOAD_PATHS.contains(RouteTable.normalize(ctx.path()))) {
                    if (length > rag.fileMaxSize() + MULTIPART_OVERHEAD) {
                        throw ApiException.tooLarge("File too large: the limit is " + (rag.fileMaxSize() >> 20) + " MB (FILE_MAX_SIZE)");
                    }
                } else if (length > config.maxBodySize()) {
                    throw ApiException.tooLarge("Request body too large: the limit is " + config.maxBodySize() + " bytes");
                }
            });
            cfg.routes.beforeMatched(authenticator);
            cfg.routes.after(ServerTiming::finish);
            ErrorHandlers.register(cfg);
            table[0].register(cfg);
        });
        return new App(config, db, background, closeables, table[0], server);
    }

    /** Room for multipart boundaries, headers and the metadata field next to the file itself. */
    private static final long MULTIPART_OVERHEAD = 1L << 20;

    /** RAG_EMBEDDING_ENGINE: in-process MiniLM by default, or an OpenAI-compatible / Ollama endpoint. */
    private static Embedder embedder(Rag rag, Upstream upstream) {
        return switch (rag.embeddingEngine()) {
            case "openai" -> new RemoteEmbedder(RemoteEmbedder.Kind.OPENAI, rag.openAiBaseUrl(), rag.openAiKey(), rag.embeddingModel(), upstream);
            case "ollama" -> new RemoteEmbedder(RemoteEmbedder.Kind.OLLAMA, rag.ollamaBaseUrl(), null, rag.embeddingModel(), upstream);
            default -> new LocalEmbedder();
        };
    }

    /** WEBUI_ADMIN_EMAIL/_PASSWORD: create the first admin headlessly when the database has no accounts. */
    private static void seedAdmin(Config config, UserService users) {
        config.adminSeed().ifPresent(seed -> {
            if (users.hasUsers()) {
                return;
            }
            String email = Emails.normalize(seed.email());
            if (!Emails.valid(email)) {
                throw new verity.config.ConfigException("WEBUI_ADMIN_EMAIL", "not a valid email address");
            }
            if (Passwords.tooLong(seed.password())) {
                throw new verity.config.ConfigException("WEBUI_ADMIN_PASSWORD", "must be at most 72 bytes");
            }
            users.create(new UserService.NewUser(seed.name(), email, seed.password(), null, "admin"));
            LOG.info("created the admin account {} from WEBUI_ADMIN_EMAIL", email);
        });
    }

    public App start() {
        server.start();
        LOG.info("Verity {} listening on http://{}:{} (database: {})", VERSION, config.host(), server.port(),
                config.database().kind().name().toLowerCase());
        return this;
    }

    public int port() {
        return server.port();
    }

    public RouteTable routes() {
        return routes;
    }

    @Override
    public void close() {
        server.stop();
        for (AutoCloseable c : closeables.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("error while closing {}: {}", c, e.getMessage());
            }
        }
        background.close();
        db.close();
    }

    private static String readVersion() {
        try (InputStream in = App.class.getResourceAsStream("/verity/build.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
