package verity.files;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static verity.http.Access.USER;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import verity.auth.Principal;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Json;
import verity.http.Query;
import verity.http.Route;
import verity.users.User;

/** /api/files/* (seed) and /api/v1/files/* (Open WebUI). */
public final class FileRoutes {
    private static final String TAG = "files";
    /** Upload paths get the file size limit instead of the general body limit. */
    public static final List<String> UPLOAD_PATHS = List.of("/api/files", "/api/v1/files");

    private final FileService files;
    private final long maxSize;

    public FileRoutes(FileService files, long maxSize) {
        this.files = files;
        this.maxSize = maxSize;
    }

    public List<Route> routes() {
        return List.of(
                Route.api(POST, "/files/", USER, TAG, "Upload a file (multipart 'file', optional 'metadata' JSON); processed in the background unless ?process=false", this::upload),
                Route.api(GET, "/files/", USER, TAG, "Own files, newest first (all, or 50 per ?page as {items, total})", this::list),
                Route.api(GET, "/files/search", USER, TAG, "Own files whose name matches ?filename (a glob: * and ?), newest first; ?content=false leaves out the text; ?skip, ?limit ≤ 1000; 404 when none", this::search),
                Route.api(GET, "/files/{id}", USER, TAG, "One file (owner or admin)", ctx -> ctx.json(files.get(user(ctx), id(ctx)))),
                Route.api(GET, "/files/{id}/content", USER, TAG, "The uploaded bytes (?attachment=true to download)", this::content),
                Route.api(GET, "/files/{id}/data/content", USER, TAG, "The extracted text", ctx -> ctx.json(Map.of("content", nullToEmpty(files.content(user(ctx), id(ctx)))))),
                Route.api(POST, "/files/{id}/data/content/update", USER, TAG, "Replace the extracted text and index it again", this::updateContent)
                        .body(Map.of("content", "string")),
                Route.api(GET, "/files/{id}/process/status", USER, TAG, "Processing status: pending, completed or failed (?stream=true: SSE every second)", this::status),
                Route.api(DELETE, "/files/{id}", USER, TAG, "Delete the file, its chunks and its stored bytes", ctx -> {
                    files.delete(user(ctx), id(ctx));
                    ctx.json(Map.of("message", "File deleted successfully"));
                }));
    }

    private static User user(Context ctx) {
        return Principal.of(ctx).user();
    }

    private static String id(Context ctx) {
        return ctx.pathParam("id");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private void upload(Context ctx) {
        UploadedFile file;
        String metadata;
        try {
            file = ctx.isMultipartFormData() ? ctx.uploadedFile("file") : null;
            metadata = file == null ? null : ctx.formParam("metadata");
        } catch (Exception e) { // Jetty's part parser throws checked ServletExceptions through Kotlin code
            throw multipartProblem(e);
        }
        if (file == null) {
            throw ApiException.invalid(List.of(ApiException.FieldError.body("file", "Field required", "missing")));
        }
        boolean process = !"false".equalsIgnoreCase(ctx.queryParam("process"));
        try (InputStream in = file.content()) {
            ctx.json(files.upload(user(ctx), new FileService.Upload(file.filename(), file.contentType(), in,
                    metadata(metadata), process)));
        } catch (IOException e) {
            throw ApiException.badRequest("Could not read the upload: " + e.getMessage());
        }
    }

    /** Jetty reports an oversized part or a broken multipart body as an exception from the part parser. */
    private ApiException multipartProblem(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = (e.getMessage() + " " + root.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("exceed") || message.contains("too large") || message.contains("max")) {
            return ApiException.tooLarge("File too large: the limit is " + (maxSize >> 20) + " MB (FILE_MAX_SIZE)");
        }
        return ApiException.badRequest("Malformed multipart body: " + root.getMessage());
    }

    private static ObjectNode metadata(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            JsonNode node = Json.read(raw);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (JacksonException e) {
            // reported below
        }
        throw ApiException.invalid(List.of(ApiException.FieldError.body("metadata", "Input should be a JSON object", "dict_type")));
    }

    private void search(Context ctx) {
        String glob = Query.optional(ctx, "filename")
                .orElseThrow(() -> ApiException.invalidQuery("filename", "Field required", "missing"));
        boolean withContent = !"false".equalsIgnoreCase(ctx.queryParam("content"));
        ctx.json(files.search(user(ctx), glob, withContent, Query.integer(ctx, "skip", 0, Integer.MAX_VALUE, 0),
                Query.integer(ctx, "limit", 1, 1000, 100)));
    }

    private void list(Context ctx) {
        Integer page = Query.optionalPage(ctx);
        ctx.json(page == null ? files.list(user(ctx)) : files.page(user(ctx), page));
    }

    /**
     * Inline only for types a browser shows without running anything (PDF, images but SVG, plain text);
     * everything else is an attachment, and nosniff + a sandbox CSP keep uploaded HTML from running on our origin.
     */
    private void content(Context ctx) {
        StoredFile file = files.readable(user(ctx), id(ctx));
        String type = file.contentType().toLowerCase(Locale.ROOT);
        boolean inline = !"true".equalsIgnoreCase(ctx.queryParam("attachment"))
                && (type.equals("application/pdf") || type.startsWith("text/plain")
                || (type.startsWith("image/") && !type.contains("svg")));
        String encoded = URLEncoder.encode(file.filename(), StandardCharsets.UTF_8).replace("+", "%20");
        ctx.header("Content-Disposition", (inline ? "inline" : "attachment") + "; filename*=UTF-8''" + encoded);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "sandbox");
        ctx.contentType(file.contentType());
        ctx.header("Content-Length", Long.toString(file.size()));
        try (InputStream in = files.open(file); OutputStream out = ctx.res().getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // the client went away mid-download; nothing to report to it
        }
    }

    private void updateContent(Context ctx) {
        Form f = Form.of(ctx);
        String content = f.requiredString("content", Integer.MAX_VALUE);
        f.check();
        ctx.json(files.replaceContent(user(ctx), id(ctx), content));
    }

    private void status(Context ctx) throws IOException, InterruptedException {
        User user = user(ctx);
        String id = id(ctx);
        if (!"true".equalsIgnoreCase(ctx.queryParam("stream"))) {
            ctx.json(files.status(user, id));
            return;
        }
        Map<String, Object> status = files.status(user, id);
        ctx.contentType("text/event-stream");
        ctx.header("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        long deadline = System.nanoTime() + 7_200_000_000_000L;
        while (true) {
            out.write(("data: " + Json.write(status) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (!StoredFile.PENDING.equals(status.get("status")) || System.nanoTime() > deadline) {
                return;
            }
            Thread.sleep(1000);
            status = files.status(user, id);
        }
    }
}
