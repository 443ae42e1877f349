package verity.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import verity.http.Json;
import verity.settings.Settings;

/** Arena settings: the environment gives the initial values, an admin's saved values win afterwards. */
public final class EvaluationSettings {
    public static final String ENABLE_ARENA = "ENABLE_EVALUATION_ARENA_MODELS";
    public static final String ARENA_MODELS = "EVALUATION_ARENA_MODELS";

    private final Settings settings;
    private final boolean initialEnabled;
    private final JsonNode initialModels;
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public EvaluationSettings(Settings settings, boolean arenaEnabled, String arenaModelsJson) {
        this.settings = settings;
        this.initialEnabled = arenaEnabled;
        this.initialModels = Json.read(arenaModelsJson);
    }

    /** Called after every change (the model catalog refreshes its arena entries). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public boolean arenaEnabled() {
        return settings.get(ENABLE_ARENA).map(JsonNode::asBoolean).orElse(initialEnabled);
    }

    public JsonNode arenaModels() {
        return settings.getOr(ARENA_MODELS, initialModels);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ENABLE_ARENA, arenaEnabled());
        m.put(ARENA_MODELS, arenaModels());
        return m;
    }

    public void update(Boolean enabled, JsonNode models) {
        if (enabled != null) {
            settings.put(ENABLE_ARENA, Json.MAPPER.getNodeFactory().booleanNode(enabled));
        }
        if (models != null) {
            settings.put(ARENA_MODELS, models);
        }
        listeners.forEach(Runnable::run);
    }

    /** A list of objects, each with a string id and name. */
    public static boolean validArenaModels(JsonNode models) {
        if (!(models instanceof ArrayNode list)) {
            return false;
        }
        for (JsonNode m : list) {
            if (!(m instanceof ObjectNode o) || !o.path("id").isString() || !o.path("name").isString()) {
                return false;
            }
        }
        return true;
    }
}
