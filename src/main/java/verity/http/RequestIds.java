package verity.http;

import io.javalin.http.Context;
import java.util.regex.Pattern;
import verity.db.TimeOrderedIds;

/** Every response carries X-Request-Id: the caller's own when it is a sane token, otherwise a new uuid. */
public final class RequestIds {
    private static final String ATTRIBUTE = "verity.requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {}

    public static void assign(Context ctx) {
        String id = choose(ctx.header("X-Request-Id"));
        ctx.attribute(ATTRIBUTE, id);
        ctx.header("X-Request-Id", id);
    }

    /**
     * The caller's X-Request-Id when it is a sane token, else a new time-ordered UUID: it becomes the request
     * log's key, which then grows at the end of its index (see {@link TimeOrderedIds}).
     */
    public static String choose(String given) {
        return given != null && SAFE.matcher(given).matches() ? given : TimeOrderedIds.next();
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "-" : id;
    }
}
