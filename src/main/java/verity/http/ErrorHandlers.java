package verity.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into responses. Every error body is {@code {"detail": ...}} JSON;
 * unexpected exceptions become a 500 with a generic detail and are logged with the request id.
 */
public final class ErrorHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);
    /** The most of a refused body read and thrown away so the client sees the 413 (beyond it, the connection is cut). */
    private static final long DISCARD_LIMIT = 64L << 20;

    private ErrorHandlers() {}

    public static void register(JavalinConfig config) {
        config.routes.exception(ApiException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            write(ctx, e.status(), e.detail());
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, e.getStatus(), detailFor(e)));
        config.routes.exception(Exception.class, (e, ctx) -> {
            ApiException answer = unexpected(e, ctx.method().name(), ctx.path(), RequestIds.of(ctx));
            write(ctx, answer.status(), answer.detail());
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

    /**
     * The answer to an exception that is not an {@link ApiException}: text the database cannot store is the
     * client's 400; anything else is logged and becomes a 500 naming the request id.
     */
    public static ApiException unexpected(Throwable e, String method, String path, String requestId) {
        if (unstorableText(e)) {
            return ApiException.badRequest("The request contains text the database cannot store (such as a NUL character, \\u0000).");
        }
        LOG.error("request {} {} failed (request id {})", method, path, requestId, e);
        return new ApiException(500, "Internal server error (request id " + requestId + ")");
    }

    /**
     * A body refused as too large is mostly still unread. If the server closes the connection with unread bytes
     * the kernel resets it, and a client still uploading gets "broken pipe" instead of the 413 (a few percent of
     * requests in tests). Reading the rest first lets the answer through. A client that sent
     * {@code Expect: 100-continue} has sent nothing yet and is not asked to.
     */
    private static void discardUnreadBody(Context ctx) {
        if ("100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
            return;
        }
        try {
            discard(ctx.req().getInputStream());
        } catch (java.io.IOException | RuntimeException e) {
            // the connection is closed anyway
        }
    }

    /** Reads and drops what is left of a refused body, up to a limit (see {@link #discardUnreadBody}). */
    public static void discard(java.io.InputStream in) {
        try {
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            int n;
            while (total < DISCARD_LIMIT && (n = in.read(buffer)) >= 0) {
                total += n;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // the connection is closed anyway
        }
    }

    /** PostgreSQL refuses U+0000 in text and jsonb (SQLSTATE 22P05, or 22021 for invalid characters): bad input, not a 500. */
    private static boolean unstorableText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && ("22P05".equals(sql.getSQLState()) || "22021".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
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
        if (status == 413) {
            discardUnreadBody(ctx);
        }
        ctx.status(status);
        io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        Route route = matched == null ? null : matched.metadata(Route.class);
        if (route != null && route.resultEnvelope()) {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("data", null);
            body.put("error", detail instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof ApiException.FieldError e
                    ? "Invalid " + String.join(".", e.loc()) + ": " + e.msg() : String.valueOf(detail));
            body.put("detail", detail);
            ctx.json(body);
            return;
        }
        ctx.json(Map.of("detail", detail));
    }
}
