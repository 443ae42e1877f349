package verity.http;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/** Every response carries X-Request-Id: the caller's own when it is a sane token, otherwise a new uuid. */
public final class RequestIds {
    private static final String ATTRIBUTE = "verity.requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {}

    public static void assign(Context ctx) {
        String given = ctx.header("X-Request-Id");
        String id = given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header("X-Request-Id", id);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "-" : id;
    }
}
