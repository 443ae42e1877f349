package verity.evaluation;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static verity.http.Access.ADMIN;
import static verity.http.Access.USER;

import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;
import verity.auth.Principal;
import verity.feedback.FeedbackForm;
import verity.feedback.FeedbackService;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Json;
import verity.http.Query;
import verity.http.Route;
import verity.requestlog.RequestAccess;

/** Side-by-side comparisons, the Bradley–Terry leaderboard with intervals, and annotator agreement. */
public final class RatingRoutes {
    private static final String TAG = "evaluations";
    private final RatingService ratings;
    private final AgreementService agreement;
    private final FeedbackService feedback;
    private final RequestAccess requests;

    public RatingRoutes(RatingService ratings, AgreementService agreement, FeedbackService feedback, RequestAccess requests) {
        this.ratings = ratings;
        this.agreement = agreement;
        this.feedback = feedback;
        this.requests = requests;
    }

    public List<Route> routes() {
        return List.of(
                Route.api(POST, "/evaluations/comparisons", USER, TAG,
                        "Record a side-by-side judgement: winner a, b, tie or both_bad", this::compare)
                        .body(Map.of("model_a", "string", "model_b", "string", "winner", "string", "prompt", "string?",
                                "request_ids", "array?", "tags", "array?")),
                Route.api(GET, "/evaluations/leaderboard/bt", ADMIN, TAG,
                        "Bradley–Terry ratings with bootstrap 95 % intervals and ranks, online Elo and win rates; "
                                + "?tag, ?from, ?to, ?judge, ?exclude_models, ?min_votes, ?bootstrap, ?seed, ?elo_k", this::board),
                Route.api(GET, "/evaluations/leaderboard/bt/tags", ADMIN, TAG, "Tags with comparisons, for per-tag boards",
                        ctx -> ctx.json(ratings.tags(filter(ctx)))),
                Route.api(GET, "/evaluations/agreement", ADMIN, TAG,
                        "Annotator agreement on thumbs ratings: Cohen's kappa per pair, Fleiss' kappa, most-disputed items",
                        ctx -> ctx.json(agreement.agreement(epoch(ctx, "from"), epoch(ctx, "to"), intIn(ctx, "limit", 20, 1, 1000)))));
    }

    private void compare(Context ctx) {
        ComparisonForm form = ComparisonForm.parse(Form.of(ctx));
        Principal caller = Principal.of(ctx);
        form.requestIds().forEach(id -> requests.visible(caller, id));
        ObjectNode meta = Json.object();
        meta.put("source", "comparison");
        meta.set("request_ids", form.data().get("request_ids"));
        String requestId = form.requestIds().isEmpty() ? null : form.requestIds().getFirst();
        ctx.json(feedback.create(caller.user(), new FeedbackForm("comparison", form.data(), meta, null), requestId));
    }

    private void board(Context ctx) {
        ctx.json(ratings.board(filter(ctx), intIn(ctx, "min_votes", 0, 0, 1_000_000), intIn(ctx, "bootstrap", 100, 1, 1000),
                longParam(ctx, "seed", 0), doubleIn(ctx, "elo_k", 4, 0.001, 1000)));
    }

    private static ComparisonSource.Filter filter(Context ctx) {
        Set<String> exclude = Query.optional(ctx, "exclude_models")
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet()))
                .orElse(Set.of());
        return new ComparisonSource.Filter(Query.optional(ctx, "tag").orElse(null), epoch(ctx, "from"), epoch(ctx, "to"),
                Query.optional(ctx, "judge").orElse(null), exclude);
    }

    private static Long epoch(Context ctx, String name) {
        return Query.optional(ctx, name).map(v -> parseLong(name, v)).orElse(null);
    }

    private static long longParam(Context ctx, String name, long fallback) {
        return Query.optional(ctx, name).map(v -> parseLong(name, v)).orElse(fallback);
    }

    private static long parseLong(String name, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.invalidQuery(name, "Input should be a valid integer", "int_parsing");
        }
    }

    private static int intIn(Context ctx, String name, int fallback, int min, int max) {
        long v = longParam(ctx, name, fallback);
        if (v < min || v > max) {
            throw ApiException.invalidQuery(name, "Input should be between " + min + " and " + max, "range");
        }
        return (int) v;
    }

    private static double doubleIn(Context ctx, String name, double fallback, double min, double max) {
        double v = Query.optional(ctx, name).map(s -> {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw ApiException.invalidQuery(name, "Input should be a number", "float_parsing");
            }
        }).orElse(fallback);
        if (!(v >= min && v <= max)) {
            throw ApiException.invalidQuery(name, "Input should be between " + min + " and " + max, "range");
        }
        return v;
    }
}
