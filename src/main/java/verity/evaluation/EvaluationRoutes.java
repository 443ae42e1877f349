package verity.evaluation;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static verity.http.Access.ADMIN;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Query;
import verity.http.Route;

/** Leaderboards and evaluation settings under /api/evaluations and /api/v1/evaluations. */
public final class EvaluationRoutes {
    private static final String TAG = "evaluations";

    private final LeaderboardService leaderboard;
    private final EvaluationSettings settings;
    private final DatasetExport datasets;

    public EvaluationRoutes(LeaderboardService leaderboard, EvaluationSettings settings, DatasetExport datasets) {
        this.leaderboard = leaderboard;
        this.settings = settings;
        this.datasets = datasets;
    }

    public List<Route> routes() {
        return List.of(
                Route.api(GET, "/evaluations/leaderboard", ADMIN, TAG,
                        "Open WebUI's Elo leaderboard; ?query= weights each feedback by how close its tags are to the topic",
                        ctx -> ctx.json(leaderboard.leaderboard(Query.optional(ctx, "query").orElse(null)))),
                Route.api(GET, "/evaluations/leaderboard/{model_id}/history", ADMIN, TAG,
                        "Daily won/lost of one model; ?days=30 (0 = since its first rating)", this::history),
                Route.api(GET, "/evaluations/config", ADMIN, TAG, "Arena settings", ctx -> ctx.json(settings.asMap())),
                Route.api(GET, "/evaluations/export/{format}", ADMIN, TAG,
                        "Training data as JSONL: dpo-openai, dpo-trl, kto, sft; the feedback list's filters; ?summary=true",
                        ctx -> datasets.write(ctx, ctx.pathParam("format"))),
                Route.api(POST, "/evaluations/config", ADMIN, TAG, "Change arena settings (persisted)", this::updateConfig)
                        .body(Map.of(EvaluationSettings.ENABLE_ARENA, "boolean?", EvaluationSettings.ARENA_MODELS, "array?")));
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

    private void updateConfig(Context ctx) {
        Form f = Form.of(ctx);
        Boolean enabled = f.optionalBoolean(EvaluationSettings.ENABLE_ARENA);
        JsonNode models = f.raw().get(EvaluationSettings.ARENA_MODELS);
        if (models != null && !models.isNull() && !EvaluationSettings.validArenaModels(models)) {
            f.error(EvaluationSettings.ARENA_MODELS, "Input should be a list of objects with string 'id' and 'name'", "list_type");
        }
        f.check();
        settings.update(enabled, models == null || models.isNull() ? null : models);
        ctx.json(settings.asMap());
    }
}
