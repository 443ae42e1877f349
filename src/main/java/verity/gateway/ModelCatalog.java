package verity.gateway;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import verity.evaluation.EvaluationSettings;
import verity.http.Json;

/**
 * Every model a caller can use: the models of each reachable connection (fetched in parallel and cached
 * briefly), custom models, and arena models when arenas are on and real models exist. An unreachable
 * connection is logged and skipped.
 */
public final class ModelCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);
    static final Duration CACHE = Duration.ofSeconds(10);
    private static final long MISS_REFRESH_NANOS = 1_000_000_000L;
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(3);

    /** One entry of /api/models; exactly one of connection (provider model), custom or arena describes it. */
    public record Model(String id, String name, String ownedBy, long created, Connection connection,
                        String upstreamId, CustomModel custom, JsonNode arena) {
        public boolean isArena() {
            return arena != null;
        }
    }

    private final ConnectionSettings connections;
    private final Upstream upstream;
    private final CustomModelStore custom;
    private final EvaluationSettings evaluation;
    private final ExecutorService background;
    /**
     * What the model servers list. Refreshed in the background once it is older than {@link #CACHE}: the request
     * that finds it old is answered from it at once instead of waiting for every server's list (a slow or silent
     * server would otherwise hold up one completion every {@link #CACHE}).
     */
    private final LoadingCache<String, List<Model>> providerModels;
    /**
     * The composed list (provider + custom + arena models) is read on every completion, so a request costs no
     * database read; refreshed in the background like the provider list. Changes to custom models, connections or
     * arena settings on this replica replace it at once; other replicas see them within about 2 s.
     */
    private final LoadingCache<String, List<Model>> composed;
    /** When a request for an unlisted model last waited for fresh lists (nanoTime), so misses cannot flood servers. */
    private final AtomicLong lastMissRefresh = new AtomicLong(System.nanoTime() - MISS_REFRESH_NANOS);

    public ModelCatalog(ConnectionSettings connections, Upstream upstream, CustomModelService custom,
                 EvaluationSettings evaluation, ExecutorService background) {
        this.connections = connections;
        this.upstream = upstream;
        this.custom = custom.store();
        this.evaluation = evaluation;
        this.background = background;
        this.providerModels = Caffeine.newBuilder().executor(background).refreshAfterWrite(CACHE).maximumSize(1).build(k -> fetchAll());
        this.composed = Caffeine.newBuilder().executor(background).refreshAfterWrite(Duration.ofSeconds(2)).maximumSize(1)
                .build(k -> compose());
        evaluation.onChange(this::refresh);
    }

    public void refresh() {
        providerModels.invalidateAll();
        composed.invalidateAll();
    }

    /** Provider models only (what /api/models/base lists). */
    public List<Model> baseModels() {
        return providerModels.get("all");
    }

    public List<Model> models() {
        return composed.get("all");
    }

    private List<Model> compose() {
        Map<String, Model> byId = new LinkedHashMap<>();
        for (Model m : baseModels()) {
            byId.putIfAbsent(m.id(), m);
        }
        for (CustomModel c : custom.all()) {
            Model base = byId.get(c.baseModelId() != null ? c.baseModelId() : c.id());
            if (c.baseModelId() == null) {
                if (base == null) {
                    continue;
                }
                if (!c.isActive()) {
                    byId.remove(c.id());
                } else {
                    byId.put(c.id(), new Model(c.id(), c.name(), base.ownedBy(), base.created(), base.connection(),
                            base.upstreamId(), c, null));
                }
            } else if (c.isActive()) {
                byId.put(c.id(), new Model(c.id(), c.name(), "custom", c.createdAt(), base == null ? null : base.connection(),
                        base == null ? c.baseModelId() : base.upstreamId(), c, null));
            }
        }
        List<Model> all = new ArrayList<>(byId.values());
        if (!baseModels().isEmpty() && evaluation.arenaEnabled()) {
            JsonNode arenas = evaluation.arenaModels();
            if (arenas.isEmpty()) {
                arenas = Json.read("[{\"id\":\"arena-model\",\"name\":\"Arena Model\",\"meta\":{\"model_ids\":null}}]");
            }
            for (JsonNode a : arenas) {
                all.add(new Model(a.path("id").asString(), a.path("name").asString(), "arena", 0, null, null, null, a));
            }
        }
        return List.copyOf(all);
    }

    /**
     * The model with this id. A model the lists do not have may be new on its server: then the lists are fetched
     * again and searched once more, at most once a second whatever the requests ask for.
     */
    public Optional<Model> find(String id) {
        Optional<Model> found = listed(id);
        long now = System.nanoTime();
        long last = lastMissRefresh.get();
        if (found.isEmpty() && now - last >= MISS_REFRESH_NANOS && lastMissRefresh.compareAndSet(last, now)) {
            providerModels.refresh("all").join();
            composed.invalidateAll();
            found = listed(id);
        }
        return found;
    }

    private Optional<Model> listed(String id) {
        return models().stream().filter(m -> m.id().equals(id)).findFirst();
    }

    private List<Model> fetchAll() {
        List<CompletableFuture<List<Model>>> futures = connections.connections().stream()
                .map(c -> CompletableFuture.supplyAsync(() -> fetch(c), background)).toList();
        List<Model> all = new ArrayList<>();
        futures.forEach(f -> all.addAll(f.join()));
        return List.copyOf(all);
    }

    private List<Model> fetch(Connection c) {
        List<Model> models = new ArrayList<>();
        try {
            if (c.kind() == Connection.Kind.OPENAI) {
                for (JsonNode m : upstream.getJson(c.baseUrl() + "/models", c.apiKey(), FETCH_TIMEOUT).path("data")) {
                    String id = m.path("id").asString("");
                    if (!id.isEmpty()) {
                        models.add(new Model(id, m.path("name").asString(id), "openai", m.path("created").asLong(0), c, id, null, null));
                    }
                }
            } else {
                for (JsonNode m : upstream.getJson(c.baseUrl() + "/api/tags", null, FETCH_TIMEOUT).path("models")) {
                    String id = m.path("model").asString(m.path("name").asString(""));
                    if (!id.isEmpty()) {
                        models.add(new Model(id, m.path("name").asString(id), "ollama", 0, c, id, null, null));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("model server {} ({}) skipped: {}", c.label(), c.baseUrl(), e.getMessage());
        }
        return models;
    }
}
