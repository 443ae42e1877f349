package verity.feedback;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static verity.http.Access.ADMIN;
import static verity.http.Access.USER;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import verity.auth.Principal;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Query;
import verity.http.Route;
import verity.users.User;

/** Seed 000: /api/evaluations/feedback* and Open WebUI's /api/v1/evaluations/feedback*. */
public final class FeedbackRoutes {
    private static final String TAG = "evaluations";
    private static final Map<String, Object> FORM = Map.of("type", "string", "data", "object", "meta", "object?", "snapshot", "object?");

    private final FeedbackService feedback;
    private final FeedbackExport export;

    public FeedbackRoutes(FeedbackService feedback) {
        this.feedback = feedback;
        this.export = new FeedbackExport(feedback.store());
    }

    public List<Route> routes() {
        return List.of(
                Route.api(POST, "/evaluations/feedback", USER, TAG, "Rate a response", ctx -> ctx.json(feedback.create(user(ctx), form(ctx, true))))
                        .body(FORM),
                Route.api(GET, "/evaluations/feedback/{id}", USER, TAG, "One feedback (author or admin)",
                        ctx -> ctx.json(feedback.get(user(ctx), id(ctx)))),
                Route.api(POST, "/evaluations/feedback/{id}", USER, TAG, "Replace the given fields; the old version is kept",
                        ctx -> ctx.json(feedback.update(user(ctx), id(ctx), form(ctx, false))))
                        .body(Map.of("type", "string?", "data", "object?", "meta", "object?", "snapshot", "object?")),
                Route.api(DELETE, "/evaluations/feedback/{id}", USER, TAG, "Delete one feedback (author or admin)", ctx -> {
                    feedback.delete(user(ctx), id(ctx));
                    ctx.json(true);
                }),
                Route.api(GET, "/evaluations/feedback/{id}/history", USER, TAG, "Earlier versions, newest first",
                        ctx -> ctx.json(feedback.history(user(ctx), id(ctx)))),
                Route.api(GET, "/evaluations/feedbacks/user", USER, TAG, "Own feedback (array; {items,total,page,pages} with ?page)", this::mine),
                Route.api(DELETE, "/evaluations/feedbacks", USER, TAG, "Delete all own feedback", ctx -> ctx.json(feedback.deleteMine(user(ctx)))),
                Route.api(GET, "/evaluations/feedbacks/list", ADMIN, TAG,
                        "Page of 30 with ?page, ?order_by, ?direction and filters model_id, user_id, type, rating, from, to",
                        ctx -> ctx.json(feedback.list(FeedbackQuery.parse(ctx)))),
                Route.api(GET, "/evaluations/feedbacks/all", ADMIN, TAG, "All feedback with authors, no snapshots (streamed)",
                        ctx -> export.write(ctx, FeedbackQuery.parse(ctx, FeedbackQuery.Order.UPDATED_AT), FeedbackExport.Format.JSON, FeedbackExport.Shape.LIST)),
                Route.api(GET, "/evaluations/feedbacks/all/ids", ADMIN, TAG, "Ids of all feedback with user_id and timestamps (streamed)",
                        ctx -> export.write(ctx, FeedbackQuery.parse(ctx, FeedbackQuery.Order.UPDATED_AT), FeedbackExport.Format.JSON, FeedbackExport.Shape.IDS)),
                Route.api(DELETE, "/evaluations/feedbacks/all", ADMIN, TAG, "Delete all feedback (false when there was none)",
                        ctx -> ctx.json(feedback.deleteAll())),
                Route.api(GET, "/evaluations/feedbacks/all/export", ADMIN, TAG,
                        "Export full feedback with snapshots, streamed: ?format=json|jsonl|csv and the list filters",
                        ctx -> export.write(ctx, FeedbackQuery.parse(ctx, FeedbackQuery.Order.UPDATED_AT), FeedbackExport.format(ctx), FeedbackExport.Shape.FULL)),
                Route.api(GET, "/evaluations/feedbacks/models", ADMIN, TAG, "Distinct rated model ids", ctx -> ctx.json(feedback.modelIds())));
    }

    private static User user(Context ctx) {
        return Principal.of(ctx).user();
    }

    private static String id(Context ctx) {
        return ctx.pathParam("id");
    }

    private static FeedbackForm form(Context ctx, boolean creating) {
        Form f = Form.of(ctx);
        String type = creating ? f.requiredString("type", 64) : f.optionalString("type", 64);
        var data = creating ? f.requiredObject("data") : f.optionalObject("data");
        var meta = f.optionalObject("meta");
        var snapshot = f.optionalObject("snapshot");
        f.check();
        if (type != null && type.isBlank()) {
            f.error("type", "String should have at least 1 character", "string_too_short");
            f.check();
        }
        String modelIdProblem = data == null ? null : Extracted.modelIdProblem(data);
        if (modelIdProblem != null) {
            throw ApiException.invalid(List.of(new ApiException.FieldError(List.of("body", "data", "model_id"),
                    modelIdProblem, modelIdProblem.contains("at most") ? "string_too_long" : "value_error")));
        }
        return new FeedbackForm(type, data, meta, snapshot);
    }

    private void mine(Context ctx) {
        User user = user(ctx);
        Integer page = Query.optionalPage(ctx);
        if (page == null) {
            ctx.json(feedback.mine(user, Integer.MAX_VALUE, 0));
            return;
        }
        long total = feedback.countMine(user);
        ctx.json(new FeedbackService.Page(feedback.mine(user, FeedbackQuery.PAGE_SIZE, (page - 1) * FeedbackQuery.PAGE_SIZE),
                total, page, (total + FeedbackQuery.PAGE_SIZE - 1) / FeedbackQuery.PAGE_SIZE));
    }
}
