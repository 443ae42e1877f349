package verity.files;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import verity.support.Api;

/** Upload helpers shared by the files, knowledge and retrieval tests. */
public final class Uploads {
    private Uploads() {}

    public static JsonNode text(Api api, String token, String filename, String content) {
        return api.upload("/api/v1/files/", token, filename, "text/plain", content.getBytes(StandardCharsets.UTF_8)).expect(200).json();
    }

    /** Polls the processing status until it is no longer pending (at most 60 s) and returns it. */
    public static JsonNode processed(Api api, String token, String fileId) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode status = api.get("/api/v1/files/" + fileId + "/process/status", token).expect(200).json();
            if (!"pending".equals(status.path("status").asString())) {
                return status;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        fail("file " + fileId + " still pending after 60 s");
        return null;
    }

    /** Uploads text and waits until it is indexed. */
    public static String indexed(Api api, String token, String filename, String content) {
        String id = text(api, token, filename, content).path("id").asString();
        JsonNode status = processed(api, token, id);
        if (!"completed".equals(status.path("status").asString())) {
            fail("processing " + filename + " failed: " + status);
        }
        return id;
    }
}
