package verity.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.files.Uploads;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

/** Knowledge collections: create, list, read, update, files, reset, delete; owner-only; bad input. */
@ParameterizedClass
@EnumSource(Db.class)
class KnowledgeApiTest {
    @Parameter
    Db db;

    TestServer server;
    Api api;

    @BeforeEach
    void setUp() {
        server = TestServer.shared(db);
        api = server.api;
    }

    private static List<String> fileIds(JsonNode knowledge) {
        return knowledge.path("data").path("file_ids").valueStream().map(JsonNode::asString).toList();
    }

    @Test
    void a_collection_is_created_filled_emptied_and_deleted_on_both_paths() {
        Api.Account user = server.newUser("user");
        for (String base : List.of("/api/knowledge", "/api/v1/knowledge")) {
            JsonNode k = api.post(base + "/create", user.token(), Map.of("name", "Docs", "description", "All project docs")).expect(200).json();
            String id = k.path("id").asString();
            assertEquals("Docs", k.path("name").asString());
            assertEquals("All project docs", k.path("description").asString());
            assertEquals(user.id(), k.path("user_id").asString());
            assertEquals(List.of(), fileIds(k));
            assertTrue(k.path("created_at").asLong() > 1_700_000_000L);

            String a = Uploads.text(api, user.token(), "a.txt", "alpha " + base).path("id").asString();
            String b = Uploads.text(api, user.token(), "b.txt", "beta " + base).path("id").asString();
            api.post(base + "/" + id + "/file/add", user.token(), Map.of("file_id", a)).expect(200);
            JsonNode withTwo = api.post(base + "/" + id + "/file/add", user.token(), Map.of("file_id", b)).expect(200).json();
            assertEquals(java.util.Set.of(a, b), java.util.Set.copyOf(fileIds(withTwo)));
            assertEquals(2, withTwo.path("files").size());
            assertEquals(java.util.Set.of("a.txt", "b.txt"), java.util.Set.of(withTwo.path("files").get(0).path("meta").path("name").asString(),
                    withTwo.path("files").get(1).path("meta").path("name").asString()));
            assertEquals(2, fileIds(api.post(base + "/" + id + "/file/add", user.token(), Map.of("file_id", a)).expect(200).json()).size());

            JsonNode got = api.get(base + "/" + id, user.token()).expect(200).json();
            assertEquals(java.util.Set.of(a, b), java.util.Set.copyOf(fileIds(got)));
            JsonNode renamed = api.post(base + "/" + id + "/update", user.token(), Map.of("name", "Renamed")).expect(200).json();
            assertEquals("Renamed", renamed.path("name").asString());
            assertEquals("All project docs", renamed.path("description").asString());

            assertEquals(List.of(b), fileIds(api.post(base + "/" + id + "/file/remove", user.token(), Map.of("file_id", a)).expect(200).json()));
            api.get("/api/v1/files/" + a, user.token()).expect(200);
            api.post(base + "/" + id + "/file/remove", user.token(), Map.of("file_id", a)).expectError(404);
            api.post(base + "/" + id + "/file/add", user.token(), Map.of("file_id", a)).expect(200);
            api.post(base + "/" + id + "/file/remove?delete_file=true", user.token(), Map.of("file_id", a)).expect(200);
            api.get("/api/v1/files/" + a, user.token()).expectError(404);

            assertEquals(List.of(), fileIds(api.post(base + "/" + id + "/reset", user.token(), null).expect(200).json()));
            api.get("/api/v1/files/" + b, user.token()).expect(200);
            assertTrue(api.delete(base + "/" + id + "/delete", user.token()).expect(200).json().asBoolean());
            api.get(base + "/" + id, user.token()).expectError(404);
        }
    }

    @Test
    void lists_are_arrays_or_pages() {
        Api.Account user = server.newUser("user");
        for (int i = 0; i < 3; i++) {
            api.post("/api/knowledge/create", user.token(), Map.of("name", "K" + i)).expect(200);
        }
        JsonNode all = api.get("/api/knowledge/", user.token()).expect(200).json();
        assertEquals(3, all.size());
        assertTrue(all.get(0).has("data"));
        JsonNode page = api.get("/api/v1/knowledge/?page=1", user.token()).expect(200).json();
        assertEquals(3, page.path("total").asInt());
        assertEquals(3, page.path("items").size());
        assertEquals(0, api.get("/api/knowledge/", server.newUser("user").token()).expect(200).json().size());
    }

    @Test
    void another_users_collection_or_file_is_not_found() {
        Api.Account owner = server.newUser("user");
        Api.Account other = server.newUser("user");
        String id = api.post("/api/knowledge/create", owner.token(), Map.of("name", "Private")).expect(200).json().path("id").asString();
        String ownFile = Uploads.text(api, other.token(), "o.txt", "other's").path("id").asString();
        String ownerFile = Uploads.text(api, owner.token(), "p.txt", "owner's").path("id").asString();
        api.get("/api/knowledge/" + id, other.token()).expectError(404);
        api.post("/api/knowledge/" + id + "/update", other.token(), Map.of("name", "x")).expectError(404);
        api.post("/api/knowledge/" + id + "/file/add", other.token(), Map.of("file_id", ownFile)).expectError(404);
        api.post("/api/knowledge/" + id + "/file/remove", other.token(), Map.of("file_id", ownFile)).expectError(404);
        api.post("/api/knowledge/" + id + "/reset", other.token(), null).expectError(404);
        api.delete("/api/knowledge/" + id + "/delete", other.token()).expectError(404);
        api.post("/api/knowledge/" + id + "/file/add", owner.token(), Map.of("file_id", ownFile)).expectError(404);
        String otherKnowledge = api.post("/api/knowledge/create", other.token(), Map.of("name", "Theirs")).expect(200).json().path("id").asString();
        api.post("/api/knowledge/" + otherKnowledge + "/file/add", other.token(), Map.of("file_id", ownerFile)).expectError(404);
        api.get("/api/knowledge/" + id, server.admin().token()).expect(200);
        api.get("/api/knowledge/", null).expectError(401);
        api.post("/api/knowledge/create", server.newUser("pending").token(), Map.of("name", "x")).expectError(403);
    }

    @Test
    void duplicate_content_and_bad_input_are_refused() {
        Api.Account user = server.newUser("user");
        String id = api.post("/api/knowledge/create", user.token(), Map.of("name", "Dup")).expect(200).json().path("id").asString();
        String first = Uploads.text(api, user.token(), "one.txt", "same bytes").path("id").asString();
        String second = Uploads.text(api, user.token(), "two.txt", "same bytes").path("id").asString();
        api.post("/api/knowledge/" + id + "/file/add", user.token(), Map.of("file_id", first)).expect(200);
        assertTrue(api.post("/api/knowledge/" + id + "/file/add", user.token(), Map.of("file_id", second)).expectError(400)
                .json().path("detail").asString().startsWith("Duplicate content"));
        api.post("/api/knowledge/create", user.token(), Map.of()).expectError(422);
        api.post("/api/knowledge/create", user.token(), Map.of("name", " ")).expectError(422);
        api.post("/api/knowledge/create", user.token(), Map.of("name", "x".repeat(256))).expectError(422);
        api.post("/api/knowledge/create", user.token(), Map.of("name", 5)).expectError(422);
        api.postRaw("/api/knowledge/create", user.token(), "{\"name\":").expectError(400);
        api.post("/api/knowledge/" + id + "/file/add", user.token(), Map.of()).expectError(422);
        api.post("/api/knowledge/" + id + "/file/add", user.token(), Map.of("file_id", "missing")).expectError(404);
        assertEquals(List.of(first), fileIds(api.get("/api/knowledge/" + id, user.token()).expect(200).json()));
    }

    @Test
    void a_collections_files_are_paged_filtered_by_name_and_processed_again_on_request() {
        Api.Account user = server.newUser("user");
        for (String base : List.of("/api/knowledge", "/api/v1/knowledge")) {
            String id = api.post(base + "/create", user.token(), Map.of("name", "Reports")).expect(200).json().path("id").asString();
            List<String> added = new java.util.ArrayList<>();
            for (String name : List.of("q1-report.txt", "q2-report.txt", "notes.md")) {
                String file = Uploads.indexed(api, user.token(), name, name + " " + base);
                api.post(base + "/" + id + "/file/add", user.token(), Map.of("file_id", file)).expect(200);
                added.add(file);
            }
            JsonNode all = api.get(base + "/" + id + "/files", user.token()).expect(200).json();
            assertEquals(3, all.path("total").asInt());
            assertEquals(java.util.Set.copyOf(added), all.path("items").valueStream().map(f -> f.path("id").asString()).collect(java.util.stream.Collectors.toSet()));
            assertEquals("completed", all.path("items").get(0).path("data").path("status").asString());
            JsonNode reports = api.get(base + "/" + id + "/files?query=REPORT&page=1", user.token()).expect(200).json();
            assertEquals(2, reports.path("total").asInt());
            assertEquals(java.util.Set.of("q1-report.txt", "q2-report.txt"),
                    reports.path("items").valueStream().map(f -> f.path("filename").asString()).collect(java.util.stream.Collectors.toSet()));
            assertEquals(0, api.get(base + "/" + id + "/files?page=2", user.token()).expect(200).json().path("items").size());
            assertEquals(0, api.get(base + "/" + id + "/files?query=%25", user.token()).expect(200).json().path("total").asInt());
            api.get(base + "/" + id + "/files?page=0", user.token()).expectError(422);

            JsonNode updated = api.post(base + "/" + id + "/file/update", user.token(), Map.of("file_id", added.get(2))).expect(200).json();
            assertEquals(java.util.Set.copyOf(added), java.util.Set.copyOf(fileIds(updated)));
            assertEquals("completed", Uploads.processed(api, user.token(), added.get(2)).path("status").asString());
            String outside = Uploads.text(api, user.token(), "outside.txt", "not in it " + base).path("id").asString();
            api.post(base + "/" + id + "/file/update", user.token(), Map.of("file_id", outside)).expectError(404);
            api.post(base + "/" + id + "/file/update", user.token(), Map.of()).expectError(422);

            Api.Account other = server.newUser("user");
            api.get(base + "/" + id + "/files", other.token()).expectError(404);
            api.post(base + "/" + id + "/file/update", other.token(), Map.of("file_id", added.get(0))).expectError(404);
            api.get(base + "/" + id + "/files", null).expectError(401);
            api.get(base + "/" + id + "/files", server.newUser("pending").token()).expectError(403);
            api.post(base + "/" + id + "/file/update", server.newUser("pending").token(), Map.of("file_id", added.get(0))).expectError(403);
            api.postRaw(base + "/" + id + "/file/update", user.token(), "{\"file_id\":").expectError(400);
            api.post(base + "/" + id + "/file/update", user.token(), Map.of("file_id", "x".repeat(37))).expectError(422);
            assertEquals(3, api.get(base + "/" + id + "/files", server.admin().token()).expect(200).json().path("total").asInt());
        }
    }
}
