package verity.feedback;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import verity.http.ApiException;
import verity.http.Query;

/**
 * Filters and ordering for feedback lists and exports, parsed from query parameters. Ordering columns come
 * from a fixed enum; values are always bound as parameters.
 */
public record FeedbackQuery(int page, Order order, boolean ascending, String modelId, String userId, String type,
                            String rating, Long from, Long to) {
    public static final int PAGE_SIZE = 30;

    public enum Order {
        CREATED_AT("f.created_at"), UPDATED_AT("f.updated_at"), USERNAME("f.user_name"), MODEL_ID("f.model_id"),
        RATING("f.rating_num");

        final String column;

        Order(String column) {
            this.column = column;
        }
    }

    public static FeedbackQuery all() {
        return new FeedbackQuery(1, Order.CREATED_AT, false, null, null, null, null, null, null);
    }

    public static FeedbackQuery parse(Context ctx) {
        return parse(ctx, Order.CREATED_AT);
    }

    public static FeedbackQuery parse(Context ctx, Order defaultOrder) {
        Order order = Query.optional(ctx, "order_by").map(v -> Arrays.stream(Order.values())
                        .filter(o -> o.name().equalsIgnoreCase(v)).findFirst()
                        .orElseThrow(() -> ApiException.invalidQuery("order_by",
                                "Input should be one of created_at, updated_at, username, model_id, rating", "enum")))
                .orElse(defaultOrder);
        return new FeedbackQuery(Query.page(ctx), order, Query.ascending(ctx, false),
                Query.optional(ctx, "model_id").orElse(null), Query.optional(ctx, "user_id").orElse(null),
                Query.optional(ctx, "type").orElse(null), Query.optional(ctx, "rating").orElse(null),
                epoch(ctx, "from"), epoch(ctx, "to"));
    }

    private static Long epoch(Context ctx, String name) {
        return Query.optional(ctx, name).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw ApiException.invalidQuery(name, "Input should be epoch seconds (an integer)", "int_parsing");
            }
        }).orElse(null);
    }

    /** The WHERE clause (always starting with " WHERE 1=1") and its parameters, in order. */
    String where(List<Object> params) {
        StringBuilder sql = new StringBuilder(" WHERE 1=1");
        if (modelId != null) {
            sql.append(" AND f.model_id = ?");
            params.add(modelId);
        }
        if (userId != null) {
            sql.append(" AND f.user_id = ?");
            params.add(userId);
        }
        if (type != null) {
            sql.append(" AND f.type = ?");
            params.add(type);
        }
        if (rating != null) {
            Double numeric = parseNumber(rating);
            if (numeric != null) {
                sql.append(" AND f.rating_num = ?");
                params.add(numeric);
            } else {
                sql.append(" AND f.rating = ?");
                params.add(rating);
            }
        }
        if (from != null) {
            sql.append(" AND f.created_at >= ?");
            params.add(from);
        }
        if (to != null) {
            sql.append(" AND f.created_at <= ?");
            params.add(to);
        }
        return sql.toString();
    }

    /** ORDER BY with every key in the same direction (so an index can serve it); missing values sort lowest. */
    String orderBy() {
        String dir = ascending ? " ASC" : " DESC";
        String nulls = ascending ? " NULLS FIRST" : " NULLS LAST";
        List<String> keys = new ArrayList<>();
        keys.add(order.column + dir + (order == Order.MODEL_ID || order == Order.RATING ? nulls : ""));
        // updated_at has its own (updated_at, id) index; the others tie-break on creation time.
        if (order != Order.CREATED_AT && order != Order.UPDATED_AT) {
            keys.add("f.created_at" + dir);
        }
        keys.add("f.id" + dir);
        return " ORDER BY " + String.join(", ", keys);
    }

    private static Double parseNumber(String s) {
        try {
            return Double.parseDouble(s.trim().toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
