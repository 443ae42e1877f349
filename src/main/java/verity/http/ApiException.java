package verity.http;

import java.util.List;
import java.util.Map;

/** An error answer: an HTTP status and the {@code detail} written as {@code {"detail": ...}}. */
public class ApiException extends RuntimeException {
    private final int status;
    private final transient Object detail;
    private final transient Map<String, String> headers;

    public ApiException(int status, Object detail) {
        this(status, detail, Map.of());
    }

    public ApiException(int status, Object detail, Map<String, String> headers) {
        super(detail instanceof String s ? s : "HTTP " + status, null, false, false);
        this.status = status;
        this.detail = detail;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public Object detail() {
        return detail;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, detail);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, detail, Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, detail);
    }

    public static ApiException tooLarge(String detail) {
        return new ApiException(413, detail);
    }

    /** 422 with FastAPI's list shape: one entry per failing field. */
    public static ApiException invalid(List<FieldError> errors) {
        return new ApiException(422, errors);
    }

    public static ApiException invalid(String field, String msg, String type) {
        return invalid(List.of(FieldError.body(field, msg, type)));
    }

    public static ApiException invalidQuery(String param, String msg, String type) {
        return invalid(List.of(new FieldError(List.of("query", param), msg, type)));
    }

    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiException(429, detail, Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
    }

    /** One entry of a 422 detail list. */
    public record FieldError(List<String> loc, String msg, String type) {
        public static FieldError body(String field, String msg, String type) {
            return new FieldError(field == null ? List.of("body") : List.of("body", field), msg, type);
        }
    }
}
