package verity.files;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;
import verity.http.Json;

/** A file as the API shows it: Open WebUI's FileModelResponse (the storage path is not exposed). */
public record FileView(String id, String userId, String hash, String filename, Map<String, Object> data,
                       ObjectNode meta, long createdAt, long updatedAt) {

    public static FileView of(StoredFile f) {
        return of(f, null);
    }

    /** With {@code content} (the extracted text) in {@code data}, as Open WebUI's file search answers by default. */
    public static FileView of(StoredFile f, String content) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", f.apiStatus());
        if (content != null) {
            data.put("content", content);
        }
        if (f.error() != null) {
            data.put("error", f.error());
        }
        return new FileView(f.id(), f.userId(), f.hash(), f.filename(), data, Json.readObject(f.meta()),
                f.createdAt(), f.updatedAt());
    }
}
