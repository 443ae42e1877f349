package verity.requestlog;

import java.util.Map;
import verity.auth.Principal;
import verity.http.ApiException;

/** A logged request the caller may rate or annotate: their own, or any for an admin; otherwise 404. */
public final class RequestAccess {
    private final RequestLogStore store;
    private final RequestLogWriter writer;

    public RequestAccess(RequestLogStore store, RequestLogWriter writer) {
        this.store = store;
        this.writer = writer;
    }

    /** The request's summary row (model, selected model, owner...). Waits for a just-finished request to be saved. */
    public Map<String, Object> visible(Principal caller, String requestId) {
        if (requestId == null || requestId.isBlank() || requestId.length() > 64) {
            throw ApiException.notFound("Request not found");
        }
        writer.awaitWritten(requestId);
        Map<String, Object> row = store.summary(requestId).orElseThrow(() -> ApiException.notFound("Request not found"));
        if (!caller.isAdmin() && !caller.userId().equals(row.get("user_id"))) {
            throw ApiException.notFound("Request not found");
        }
        return row;
    }

    /** Whether a request with this id was logged or is being logged (client-chosen ids must be unique). */
    public boolean exists(String requestId) {
        return writer.pending(requestId) || store.owner(requestId).isPresent();
    }

    /** The model that produced the answer: the arena's pick when there was one. */
    public static String modelOf(Map<String, Object> row) {
        Object selected = row.get("selected_model_id");
        return selected != null ? selected.toString() : (String) row.get("model");
    }
}
