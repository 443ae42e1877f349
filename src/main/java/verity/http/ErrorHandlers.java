package verity.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into responses. Every error body is {@code {"detail": ...}} JSON;
 * unexpected exceptions become a 500 with a generic detail and are logged with the request id.
 */
public final class ErrorHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);

    private ErrorHandlers() {}

    public static void register(JavalinConfig config) {
        config.routes.exception(ApiException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            write(ctx, e.status(), e.detail());
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, e.getStatus(), detailFor(e)));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} {} failed (request id {})", ctx.method(), ctx.path(), RequestIds.of(ctx), e);
            write(ctx, 500, "Internal server error (request id " + RequestIds.of(ctx) + ")");
        });
        // Statuses set without an exception (e.g. by Jetty) still get a JSON body.
        for (int status : new int[] {400, 404, 405, 413, 500}) {
            config.routes.error(status, "*", ctx -> {
                if (ctx.resultInputStream() == null) {
                    write(ctx, status, defaultDetail(status));
                }
            });
        }
    }

    private static String detailFor(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> "Not Found";
            case 413 -> "Request body too large";
            default -> e.getMessage() == null || e.getMessage().isBlank() ? defaultDetail(e.getStatus()) : e.getMessage();
        };
    }

    private static String defaultDetail(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Request body too large";
            default -> "Internal server error";
        };
    }

    static void write(Context ctx, int status, Object detail) {
        ctx.status(status);
        ctx.json(Map.of("detail", detail));
    }
}
