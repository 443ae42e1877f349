package verity.evaluation;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static verity.http.Access.ADMIN;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Json;
import verity.http.Query;
import verity.http.Route;
import verity.settings.Settings;

/** Leaderboards and evaluation settings under /api/evaluations and /api/v1/evaluations. */
public final class EvaluationRoutes {
    private static final String TAG = "evaluations";
    static final String ENABLE_ARENA = "ENABLE_EVALUATION_ARENA_MODELS";
    static final String ARENA_MODELS = "EVALUATION_ARENA_MODELS";

    private final LeaderboardService leaderboard;
    private final Settings settings;
    private final boolean initialArenaEnabled;
    private final JsonNode initialArenaModels;

    public EvaluationRoutes(LeaderboardService leaderboard, Settings settings, boolean arenaEnabled, String arenaModelsJson) {
        this.leaderboard = leaderboard;
        this.settings = settings;
        this.initialArenaEnabled = arenaEnabled;
        this.initialArenaModels = Json.read(arenaModelsJson);
    }

    public List<Route> routes() {
        return List.of(
                Route.api(GET, "/evaluations/leaderboard", ADMIN, TAG,
                        "Open WebUI's Elo leaderboard; ?query=<tag> keeps only feedback with that exact tag",
                        ctx -> ctx.json(leaderboard.leaderboard(Query.optional(ctx, "query").orElse(null)))),
                Route.api(GET, "/evaluations/leaderboard/{model_id}/history", ADMIN, TAG,
                        "Daily won/lost of one model; ?days=30 (0 = since its first rating)", this::history),
                Route.api(GET, "/evaluations/config", ADMIN, TAG, "Arena settings", ctx -> ctx.json(config())),
                Route.api(POST, "/evaluations/config", ADMIN, TAG, "Change arena settings (persisted)", this::updateConfig)
                        .body(Map.of(ENABLE_ARENA, "boolean?", ARENA_MODELS, "array?")));
    }

    private void history(Context ctx) {
        int days = Query.optional(ctx, "days").map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n < 0 || n > 3650) {
                    throw ApiException.invalidQuery("days", "Input should be between 0 and 3650", "range");
                }
                return n;
            } catch (NumberFormatException e) {
                throw ApiException.invalidQuery("days", "Input should be a valid integer", "int_parsing");
            }
        }).orElse(30);
        ctx.json(leaderboard.history(ctx.pathParam("model_id"), days));
    }

    private Map<String, Object> config() {
        return Map.of(ENABLE_ARENA, settings.getOr(ENABLE_ARENA, Json.MAPPER.getNodeFactory().booleanNode(initialArenaEnabled)).asBoolean(),
                ARENA_MODELS, settings.getOr(ARENA_MODELS, initialArenaModels));
    }

    private void updateConfig(Context ctx) {
        Form f = Form.of(ctx);
        Boolean enabled = f.optionalBoolean(ENABLE_ARENA);
        JsonNode models = f.raw().get(ARENA_MODELS);
        if (models != null && !models.isNull() && !validArenaModels(models)) {
            f.error(ARENA_MODELS, "Input should be a list of objects with string 'id' and 'name'", "list_type");
        }
        f.check();
        if (enabled != null) {
            settings.put(ENABLE_ARENA, Json.MAPPER.getNodeFactory().booleanNode(enabled));
        }
        if (models != null && !models.isNull()) {
            settings.put(ARENA_MODELS, models);
        }
        ctx.json(config());
    }

    private static boolean validArenaModels(JsonNode models) {
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
