package verity.http;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;

/** Query-parameter readers shared by paged lists; bad values are 422 naming the parameter. */
public final class Query {
    private Query() {}

    public static Optional<String> optional(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** Far beyond any real list; keeps offsets (page × page size) well inside int range. */
    static final int MAX_PAGE = 1_000_000;

    /** {@code page}, 1-based, default 1. */
    public static int page(Context ctx) {
        return integer(ctx, "page", 1, MAX_PAGE, 1);
    }

    /** {@code page} when given (validated as {@link #page}), else null: lists answer everything without it. */
    public static Integer optionalPage(Context ctx) {
        return ctx.queryParam("page") == null ? null : page(ctx);
    }

    /** An integer parameter in [min, max], {@code fallback} when absent. */
    public static int integer(Context ctx, String name, int min, int max, int fallback) {
        return optional(ctx, name).map(v -> {
            int n;
            try {
                n = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw ApiException.invalidQuery(name, "Input should be a valid integer", "int_parsing");
            }
            if (n < min) {
                throw ApiException.invalidQuery(name, "Input should be greater than or equal to " + min, "greater_than_equal");
            }
            if (n > max) {
                throw ApiException.invalidQuery(name, "Input should be less than or equal to " + max, "less_than_equal");
            }
            return n;
        }).orElse(fallback);
    }

    /** {@code direction}: asc or desc. */
    public static boolean ascending(Context ctx, boolean fallback) {
        return optional(ctx, "direction").map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "asc" -> true;
            case "desc" -> false;
            default -> throw ApiException.invalidQuery("direction", "Input should be 'asc' or 'desc'", "enum");
        }).orElse(fallback);
    }
}
