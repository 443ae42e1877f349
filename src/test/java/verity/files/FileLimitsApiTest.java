package verity.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

/** FILE_MAX_SIZE and RAG_ALLOWED_FILE_EXTENSIONS. */
class FileLimitsApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.fresh(Db.SQLITE, Map.of("FILE_MAX_SIZE", "1", "RAG_ALLOWED_FILE_EXTENSIONS", "txt, .md,PDF", "MAX_BODY_SIZE", "64k",
                "WEBUI_ADMIN_EMAIL", TestServer.ADMIN_EMAIL, "WEBUI_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void an_oversized_upload_is_413_and_nothing_is_kept() {
        Api.Account user = server.newUser("user");
        byte[] big = new byte[(1 << 20) + 10];
        java.util.Arrays.fill(big, (byte) 'a');
        Api.Res r = server.api.upload("/api/v1/files/", user.token(), "big.txt", "text/plain", big).expectError(413);
        assertTrue(r.json().path("detail").asString().contains("1 MB"), r.body());
        assertEquals(0, server.api.get("/api/v1/files/", user.token()).expect(200).json().size());
        byte[] justUnder = new byte[1 << 20];
        java.util.Arrays.fill(justUnder, (byte) 'a');
        server.api.upload("/api/v1/files/", user.token(), "fits.txt", "text/plain", justUnder).expect(200);
    }

    @Test
    void an_extension_outside_the_allowed_list_is_400() {
        Api.Account user = server.newUser("user");
        byte[] bytes = "print(1)".getBytes(StandardCharsets.UTF_8);
        Api.Res r = server.api.upload("/api/v1/files/", user.token(), "script.py", "text/x-python", bytes).expectError(400);
        assertTrue(r.json().path("detail").asString().contains(".py"), r.body());
        server.api.upload("/api/v1/files/", user.token(), "noext", "text/plain", bytes).expectError(400);
        server.api.upload("/api/v1/files/", user.token(), "README.MD", "text/markdown", bytes).expect(200);
    }

    @Test
    void oversized_json_bodies_are_413_and_change_nothing() {
        Api.Account user = server.newUser("user");
        String big = "x".repeat(70 * 1024);
        String knowledge = server.api.post("/api/v1/knowledge/create", user.token(), Map.of("name", "K")).expect(200).json().path("id").asString();
        server.api.post("/api/v1/knowledge/create", user.token(), Map.of("name", "K", "description", big)).expectError(413);
        server.api.post("/api/v1/knowledge/" + knowledge + "/update", user.token(), Map.of("description", big)).expectError(413);
        server.api.post("/api/v1/retrieval/process/text", user.token(), Map.of("name", "n", "content", big)).expectError(413);
        server.api.post("/api/retrieval/query", user.token(), Map.of("query", big, "knowledge_ids", java.util.List.of(knowledge))).expectError(413);
        String file = server.api.upload("/api/v1/files/", user.token(), "a.txt", "text/plain", "small".getBytes(StandardCharsets.UTF_8)).expect(200).json().path("id").asString();
        server.api.post("/api/v1/files/" + file + "/data/content/update", user.token(), Map.of("content", big)).expectError(413);
        assertEquals(1, server.api.get("/api/v1/knowledge/", user.token()).expect(200).json().size());
        assertEquals("", server.api.get("/api/v1/knowledge/" + knowledge, user.token()).expect(200).json().path("description").asString());
        assertEquals(1, server.api.get("/api/v1/files/", user.token()).expect(200).json().size());
    }
}
