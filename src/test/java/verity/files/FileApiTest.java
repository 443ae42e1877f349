package verity.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

/** Files: upload, read, content, extracted text, status, list, delete; access and bad input. */
@ParameterizedClass
@EnumSource(Db.class)
class FileApiTest {
    @Parameter
    Db db;

    TestServer server;
    Api api;

    @BeforeEach
    void setUp() {
        server = TestServer.shared(db);
        api = server.api;
    }

    @Test
    void an_uploaded_text_file_is_stored_processed_and_readable_on_both_paths() {
        Api.Account user = server.newUser("user");
        String text = "Verity keeps every vote.\n\nÉlan, naïve café — 日本語.";
        for (String base : List.of("/api/files/", "/api/v1/files/")) {
            JsonNode f = api.upload(base, user.token(), "notes.txt", "text/plain", text.getBytes(StandardCharsets.UTF_8),
                    Map.of("metadata", "{\"source\":\"test\"}")).expect(200).json();
            String id = f.path("id").asString();
            assertEquals(36, id.length());
            assertEquals("notes.txt", f.path("filename").asString());
            assertEquals(user.id(), f.path("user_id").asString());
            assertEquals("pending", f.path("data").path("status").asString());
            assertEquals("notes.txt", f.path("meta").path("name").asString());
            assertEquals("text/plain", f.path("meta").path("content_type").asString());
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, f.path("meta").path("size").asLong());
            assertEquals("test", f.path("meta").path("data").path("source").asString());
            assertEquals(64, f.path("hash").asString().length());
            assertTrue(f.path("created_at").asLong() > 1_700_000_000L);

            assertEquals("completed", Uploads.processed(api, user.token(), id).path("status").asString());
            assertEquals("completed", api.get(base + id, user.token()).expect(200).json().path("data").path("status").asString());
            assertEquals(text, api.get(base + id + "/data/content", user.token()).expect(200).json().path("content").asString());
            Api.Res content = api.get(base + id + "/content", user.token()).expect(200);
            assertEquals(text, content.body());
            assertTrue(content.header("Content-Type").startsWith("text/plain"));
            assertEquals("inline; filename*=UTF-8''notes.txt", content.header("Content-Disposition"));
            assertEquals("nosniff", content.header("X-Content-Type-Options"));
            assertTrue(api.get(base + id + "/content?attachment=true", user.token()).expect(200)
                    .header("Content-Disposition").startsWith("attachment"));
        }
        JsonNode list = api.get("/api/v1/files/", user.token()).expect(200).json();
        assertEquals(2, list.size());
        JsonNode page = api.get("/api/v1/files/?page=1", user.token()).expect(200).json();
        assertEquals(2, page.path("total").asInt());
        assertEquals(2, page.path("items").size());
        assertEquals(0, api.get("/api/v1/files/?page=2", user.token()).expect(200).json().path("items").size());
        api.get("/api/v1/files/?page=0", user.token()).expectError(422);
    }

    @Test
    void another_users_file_is_not_found_and_an_admin_may_read_it() {
        Api.Account owner = server.newUser("user");
        Api.Account other = server.newUser("user");
        String id = Uploads.indexed(api, owner.token(), "secret.md", "# Secret\n\nThe launch code is 0000.");
        for (String path : List.of("", "/content", "/data/content", "/process/status")) {
            api.get("/api/v1/files/" + id + path, other.token()).expectError(404);
        }
        api.post("/api/v1/files/" + id + "/data/content/update", other.token(), Map.of("content", "x")).expectError(404);
        api.delete("/api/v1/files/" + id, other.token()).expectError(404);
        assertEquals(0, api.get("/api/v1/files/", other.token()).expect(200).json().size());
        api.get("/api/v1/files/" + id, server.admin().token()).expect(200);
        api.get("/api/v1/files/" + id, owner.token()).expect(200);
    }

    @Test
    void no_token_is_401_and_a_pending_account_is_403() {
        Api.Account pending = server.newUser("pending");
        byte[] bytes = "hello".getBytes(StandardCharsets.UTF_8);
        api.upload("/api/v1/files/", null, "a.txt", "text/plain", bytes).expectError(401);
        api.get("/api/v1/files/", null).expectError(401);
        api.upload("/api/v1/files/", pending.token(), "a.txt", "text/plain", bytes).expectError(403);
        api.get("/api/v1/files/", pending.token()).expectError(403);
    }

    @Test
    void bad_uploads_are_refused_with_a_reason_and_leave_nothing_behind() throws IOException {
        Api.Account user = server.newUser("user");
        long before = storedObjects();
        api.upload("/api/v1/files/", user.token(), "empty.txt", "text/plain", new byte[0]).expectError(400);
        api.upload("/api/v1/files/", user.token(), "a.txt", "text/plain", "x".getBytes(StandardCharsets.UTF_8),
                Map.of("metadata", "[1,2]")).expectError(422);
        api.postRaw("/api/v1/files/", user.token(), "{\"file\":\"not multipart\"}").expectError(422);
        api.send("POST", "/api/v1/files/", Map.of("Authorization", "Bearer " + user.token(),
                "Content-Type", "multipart/form-data; boundary=xyz"), "--xyz\r\nbroken").expectError(400);
        assertEquals(before, storedObjects());
        assertEquals(0, api.get("/api/v1/files/", user.token()).expect(200).json().size());
    }

    @Test
    void a_file_name_never_reaches_the_file_system_unsanitised() throws IOException {
        Api.Account user = server.newUser("user");
        JsonNode f = api.upload("/api/v1/files/", user.token(), "../../../etc/pass wd.txt", "text/plain",
                "x y z".getBytes(StandardCharsets.UTF_8)).expect(200).json();
        assertEquals("pass wd.txt", f.path("filename").asString());
        try (Stream<Path> files = Files.list(server.dataDir.resolve("uploads"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().equals(f.path("id").asString() + "_pass_wd.txt")));
        }
        assertFalse(Files.exists(server.dataDir.resolve("etc")));
    }

    @Test
    void unreadable_files_are_kept_and_marked_failed_with_the_reason() {
        Api.Account user = server.newUser("user");
        byte[] notPdf = "%PDF-1.7 this is not really a pdf".getBytes(StandardCharsets.UTF_8);
        String pdf = api.upload("/api/v1/files/", user.token(), "broken.pdf", "application/pdf", notPdf).expect(200).json().path("id").asString();
        JsonNode status = Uploads.processed(api, user.token(), pdf);
        assertEquals("failed", status.path("status").asString());
        assertTrue(status.path("error").asString().contains("PDF"), status.toString());
        assertArrayEquals(notPdf, api.get("/api/v1/files/" + pdf + "/content", user.token()).expect(200).body().getBytes(StandardCharsets.UTF_8));

        byte[] binary = {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, (byte) 0xff, (byte) 0xfe};
        String png = api.upload("/api/v1/files/", user.token(), "pixel.png", "image/png", binary).expect(200).json().path("id").asString();
        JsonNode pngStatus = Uploads.processed(api, user.token(), png);
        assertEquals("failed", pngStatus.path("status").asString());
        assertTrue(pngStatus.path("error").asString().contains(".png"), pngStatus.toString());
        assertEquals("failed", api.get("/api/v1/files/" + png, user.token()).expect(200).json().path("data").path("status").asString());
    }

    @Test
    void replaced_text_is_kept_and_indexed_again() {
        Api.Account user = server.newUser("user");
        String id = Uploads.indexed(api, user.token(), "a.txt", "old text");
        api.post("/api/v1/files/" + id + "/data/content/update", user.token(), Map.of()).expectError(422);
        JsonNode updated = api.post("/api/v1/files/" + id + "/data/content/update", user.token(),
                Map.of("content", "new text about penguins")).expect(200).json();
        assertEquals(id, updated.path("id").asString());
        assertEquals("completed", Uploads.processed(api, user.token(), id).path("status").asString());
        assertEquals("new text about penguins", api.get("/api/v1/files/" + id + "/data/content", user.token()).expect(200).json().path("content").asString());
        assertEquals("old text", api.get("/api/v1/files/" + id + "/content", user.token()).expect(200).body());
    }

    @Test
    void a_file_stored_without_processing_stays_unprocessed_across_a_restart_until_it_joins_a_collection() {
        try (TestServer own = TestServer.fresh(db, Map.of("WEBUI_ADMIN_EMAIL", TestServer.ADMIN_EMAIL,
                "WEBUI_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD, "RATE_LIMIT_PER_MINUTE", "0"))) {
            Api.Account user = own.newUser("user");
            String id = own.api.upload("/api/v1/files/?process=false", user.token(), "later.txt", "text/plain",
                    "Walruses haul out on sea ice.".getBytes(StandardCharsets.UTF_8)).expect(200).json().path("id").asString();
            assertEquals("pending", own.api.get("/api/v1/files/" + id, user.token()).expect(200).json().path("data").path("status").asString());

            own.restart();
            // the single ingestion worker takes files in order, so once this one is done a resumed one would be too
            Uploads.indexed(own.api, user.token(), "now.txt", "Processed right away.");
            assertEquals("pending", own.api.get("/api/v1/files/" + id + "/process/status", user.token()).expect(200).json().path("status").asString());
            assertEquals("", own.api.get("/api/v1/files/" + id + "/data/content", user.token()).expect(200).json().path("content").asString());

            String knowledge = own.api.post("/api/v1/knowledge/create", user.token(), Map.of("name", "Seals")).expect(200).json().path("id").asString();
            own.api.post("/api/v1/knowledge/" + knowledge + "/file/add", user.token(), Map.of("file_id", id)).expect(200);
            assertEquals("completed", Uploads.processed(own.api, user.token(), id).path("status").asString());
            JsonNode hits = own.api.post("/api/retrieval/query", user.token(),
                    Map.of("query", "walrus ice", "knowledge_ids", List.of(knowledge))).expect(200).json().path("results");
            assertEquals(id, hits.path(0).path("metadata").path("file_id").asString(), hits.toString());
        }
    }

    @Test
    void files_are_found_by_a_name_pattern_with_or_without_their_text() {
        Api.Account user = server.newUser("user");
        String a = Uploads.indexed(api, user.token(), "Plan_2026.txt", "the plan");
        String b = Uploads.indexed(api, user.token(), "plan-b.md", "another plan");
        Uploads.indexed(api, user.token(), "budget.csv", "n,1");
        Uploads.indexed(api, server.newUser("user").token(), "plan-theirs.txt", "not yours");
        for (String base : List.of("/api/files/", "/api/v1/files/")) {
            JsonNode plans = api.get(base + "search?filename=plan*", user.token()).expect(200).json();
            assertEquals(java.util.Set.of(a, b), plans.valueStream().map(f -> f.path("id").asString()).collect(java.util.stream.Collectors.toSet()));
            assertEquals(java.util.Set.of("the plan", "another plan"), plans.valueStream()
                    .map(f -> f.path("data").path("content").asString()).collect(java.util.stream.Collectors.toSet()));
            JsonNode bare = api.get(base + "search?filename=*.TXT&content=false", user.token()).expect(200).json();
            assertEquals(List.of(a), bare.valueStream().map(f -> f.path("id").asString()).toList());
            assertFalse(bare.get(0).path("data").has("content"));
            assertEquals(List.of(a), api.get(base + "search?filename=plan_2026.txt", user.token()).expect(200).json()
                    .valueStream().map(f -> f.path("id").asString()).toList());
            assertEquals(1, api.get(base + "search?filename=plan?*&skip=1&limit=1", user.token()).expect(200).json().size());
            assertEquals("No files found matching the pattern.",
                    api.get(base + "search?filename=plan%25", user.token()).expectError(404).json().path("detail").asString());
            api.get(base + "search", user.token()).expectError(422);
            api.get(base + "search?filename=*&limit=1001", user.token()).expectError(422);
            api.get(base + "search?filename=*&skip=-1", user.token()).expectError(422);
            api.get(base + "search?filename=*", null).expectError(401);
            api.get(base + "search?filename=*", server.newUser("pending").token()).expectError(403);
        }
    }

    @Test
    void deleting_a_file_removes_its_row_and_its_stored_bytes() throws IOException {
        Api.Account user = server.newUser("user");
        String id = Uploads.indexed(api, user.token(), "gone.txt", "soon gone");
        assertEquals("File deleted successfully", api.delete("/api/files/" + id, user.token()).expect(200).json().path("message").asString());
        api.get("/api/v1/files/" + id, user.token()).expectError(404);
        api.delete("/api/v1/files/" + id, user.token()).expectError(404);
        try (Stream<Path> files = Files.list(server.dataDir.resolve("uploads"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(id)));
        }
    }

    @Test
    void deleting_an_account_deletes_its_files_and_their_bytes() throws IOException {
        Api.Account user = server.newUser("user");
        String id = Uploads.indexed(api, user.token(), "mine.txt", "belongs to a leaving user");
        api.delete("/api/v1/users/" + user.id(), server.admin().token()).expect(200);
        api.get("/api/v1/files/" + id, server.admin().token()).expectError(404);
        try (Stream<Path> files = Files.list(server.dataDir.resolve("uploads"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(id)));
        }
    }

    @Test
    void the_status_stream_ends_with_the_final_status() {
        Api.Account user = server.newUser("user");
        String id = Uploads.indexed(api, user.token(), "s.txt", "streamed status");
        Api.Res r = api.get("/api/v1/files/" + id + "/process/status?stream=true", user.token()).expect(200);
        assertTrue(r.header("Content-Type").startsWith("text/event-stream"));
        assertEquals("data: {\"status\":\"completed\"}\n\n", r.body());
    }

    private long storedObjects() throws IOException {
        Path uploads = server.dataDir.resolve("uploads");
        if (!Files.exists(uploads)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.count();
        }
    }
}
