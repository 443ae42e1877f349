package verity.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
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

/** Retrieval over a fixed corpus: the expected document comes first, on every query form; access is checked. */
@ParameterizedClass
@EnumSource(Db.class)
class RetrievalApiTest {
    @Parameter
    Db db;

    TestServer server;
    Api api;
    Api.Account user;
    String knowledgeId;
    Map<String, String> fileIds;

    @BeforeEach
    void setUp() {
        server = TestServer.shared(db);
        api = server.api;
        user = server.newUser("user");
        knowledgeId = api.post("/api/knowledge/create", user.token(), Map.of("name", "Corpus")).expect(200).json().path("id").asString();
        fileIds = new HashMap<>();
        Corpus.DOCS.forEach((name, text) -> {
            String id = Uploads.indexed(api, user.token(), name, text);
            fileIds.put(name, id);
            api.post("/api/knowledge/" + knowledgeId + "/file/add", user.token(), Map.of("file_id", id)).expect(200);
        });
    }

    @Test
    void the_seed_query_finds_the_relevant_document_first() {
        Map<String, String> expected = Map.of(
                "How do I get my bread dough to rise?", "bread.md",
                "Which birds incubate eggs on the ice in winter?", "penguins.txt",
                "What is the smallest unit you can deploy on a container cluster?", "kubernetes.txt",
                "When did the French monarchy fall?", "revolution.txt",
                "How do plants make sugar from light?", "photosynthesis.txt");
        expected.forEach((query, file) -> {
            JsonNode results = api.post("/api/retrieval/query", user.token(),
                    Map.of("query", query, "knowledge_ids", List.of(knowledgeId), "top_k", 5)).expect(200).json().path("results");
            assertEquals(5, results.size(), query);
            JsonNode top = results.get(0);
            assertEquals(file, top.path("metadata").path("filename").asString(), query + " → " + results);
            assertEquals(fileIds.get(file), top.path("metadata").path("file_id").asString());
            assertEquals(Corpus.DOCS.get(file).replaceAll("\\s+", " ").strip(), top.path("content").asString().replaceAll("\\s+", " ").strip());
            assertTrue(top.path("score").asDouble() > results.get(1).path("score").asDouble(), query);
            assertTrue(top.path("score").asDouble() <= 1.0001);
        });
    }

    @Test
    void hybrid_search_and_the_open_webui_forms_agree_on_the_top_hit() {
        String query = "Bastille 1789";
        JsonNode hybrid = api.post("/api/v1/retrieval/query", user.token(),
                Map.of("query", query, "knowledge_ids", List.of(knowledgeId), "hybrid", true, "top_k", 2)).expect(200).json().path("results");
        assertEquals("revolution.txt", hybrid.get(0).path("metadata").path("filename").asString());
        assertEquals(2, hybrid.size());

        JsonNode doc = api.post("/api/v1/retrieval/query/doc", user.token(),
                Map.of("collection_name", knowledgeId, "query", query, "k", 3)).expect(200).json();
        assertEquals(3, doc.path("documents").get(0).size());
        assertEquals("revolution.txt", doc.path("metadatas").get(0).get(0).path("name").asString());
        assertEquals(fileIds.get("revolution.txt") + ":0", doc.path("ids").get(0).get(0).asString());
        assertEquals(3, doc.path("distances").get(0).size());

        JsonNode one = api.post("/api/v1/retrieval/query/doc", user.token(),
                Map.of("collection_name", "file-" + fileIds.get("penguins.txt"), "query", query)).expect(200).json();
        assertEquals(1, one.path("documents").get(0).size());
        assertEquals("penguins.txt", one.path("metadatas").get(0).get(0).path("name").asString());

        JsonNode many = api.post("/api/v1/retrieval/query/collection", user.token(),
                Map.of("collection_names", List.of("file-" + fileIds.get("bread.md"), "file-" + fileIds.get("penguins.txt")),
                        "query", "sea ice", "k", 5)).expect(200).json();
        assertEquals(2, many.path("documents").get(0).size());
        assertEquals("penguins.txt", many.path("metadatas").get(0).get(0).path("name").asString());

        JsonNode byFile = api.post("/api/retrieval/query", user.token(),
                Map.of("query", "sea ice", "file_ids", List.of(fileIds.get("bread.md")))).expect(200).json().path("results");
        assertEquals(1, byFile.size());
        JsonNode threshold = api.post("/api/v1/retrieval/query/doc", user.token(),
                Map.of("collection_name", knowledgeId, "query", query, "k", 5, "r", 0.99)).expect(200).json();
        assertEquals(0, threshold.path("documents").get(0).size());
    }

    @Test
    void another_users_collections_and_files_are_not_searchable() {
        Api.Account other = server.newUser("user");
        api.post("/api/retrieval/query", other.token(), Map.of("query", "bread", "knowledge_ids", List.of(knowledgeId))).expectError(404);
        api.post("/api/retrieval/query", other.token(), Map.of("query", "bread", "file_ids", List.of(fileIds.get("bread.md")))).expectError(404);
        api.post("/api/v1/retrieval/query/doc", other.token(), Map.of("collection_name", knowledgeId, "query", "bread")).expectError(404);
        api.post("/api/v1/retrieval/query/doc", other.token(), Map.of("collection_name", "file-" + fileIds.get("bread.md"), "query", "bread")).expectError(404);
        api.post("/api/v1/retrieval/query/collection", other.token(), Map.of("collection_names", List.of(knowledgeId), "query", "bread")).expectError(404);
        api.post("/api/v1/retrieval/process/file", other.token(), Map.of("file_id", fileIds.get("bread.md"))).expectError(404);
        api.post("/api/retrieval/query", null, Map.of("query", "bread", "knowledge_ids", List.of(knowledgeId))).expectError(401);
        api.post("/api/retrieval/query", server.newUser("pending").token(), Map.of("query", "bread", "knowledge_ids", List.of(knowledgeId))).expectError(403);
        assertEquals(5, api.post("/api/retrieval/query", server.admin().token(),
                Map.of("query", "bread", "knowledge_ids", List.of(knowledgeId), "top_k", 10)).expect(200).json().path("results").size());
    }

    @Test
    void malformed_queries_are_422_or_400() {
        api.post("/api/retrieval/query", user.token(), Map.of("knowledge_ids", List.of(knowledgeId))).expectError(422);
        api.post("/api/retrieval/query", user.token(), Map.of("query", "x")).expectError(422);
        api.post("/api/retrieval/query", user.token(), Map.of("query", "x", "knowledge_ids", "nope")).expectError(422);
        api.post("/api/retrieval/query", user.token(), Map.of("query", "x", "knowledge_ids", List.of(knowledgeId), "top_k", 0)).expectError(422);
        api.post("/api/retrieval/query", user.token(), Map.of("query", "x".repeat(10_001), "knowledge_ids", List.of(knowledgeId))).expectError(422);
        api.post("/api/v1/retrieval/query/doc", user.token(), Map.of("query", "x")).expectError(422);
        api.post("/api/v1/retrieval/query/collection", user.token(), Map.of("query", "x")).expectError(422);
        api.postRaw("/api/retrieval/query", user.token(), "{\"query\":").expectError(400);
    }

    @Test
    void processing_adds_a_file_to_a_collection_and_text_becomes_a_searchable_file() {
        String other = api.post("/api/v1/knowledge/create", user.token(), Map.of("name", "Second")).expect(200).json().path("id").asString();
        JsonNode processed = api.post("/api/retrieval/process", user.token(),
                Map.of("file_id", fileIds.get("bread.md"), "knowledge_id", other)).expect(200).json();
        assertTrue(processed.path("status").asBoolean());
        assertEquals(other, processed.path("collection_name").asString());
        assertTrue(processed.path("content").asString().contains("sourdough starter"));
        assertEquals(List.of(fileIds.get("bread.md")), api.get("/api/v1/knowledge/" + other, user.token()).expect(200)
                .json().path("data").path("file_ids").valueStream().map(JsonNode::asString).toList());

        JsonNode text = api.post("/api/v1/retrieval/process/text", user.token(),
                Map.of("name", "volcano note", "content", "Lava from the volcano reached the village at dawn.", "collection_name", other))
                .expect(200).json();
        assertEquals(other, text.path("collection_name").asString());
        JsonNode results = api.post("/api/retrieval/query", user.token(),
                Map.of("query", "eruption of molten rock", "knowledge_ids", List.of(other))).expect(200).json().path("results");
        assertEquals("volcano note.txt", results.get(0).path("metadata").path("filename").asString());
        api.post("/api/v1/retrieval/process/text", user.token(), Map.of("name", "empty", "content", "")).expectError(400);

        JsonNode replaced = api.post("/api/v1/retrieval/process/file", user.token(),
                Map.of("file_id", fileIds.get("penguins.txt"), "content", "Polar bears hunt seals in the Arctic.")).expect(200).json();
        assertEquals("file-" + fileIds.get("penguins.txt"), replaced.path("collection_name").asString());
        JsonNode bears = api.post("/api/retrieval/query", user.token(),
                Map.of("query", "Arctic seals", "file_ids", List.of(fileIds.get("penguins.txt")))).expect(200).json().path("results");
        assertEquals("Polar bears hunt seals in the Arctic.", bears.get(0).path("content").asString());
    }

    @Test
    void settings_report_the_pipeline() {
        JsonNode s = api.get("/api/v1/retrieval/", user.token()).expect(200).json();
        assertEquals(1000, s.path("CHUNK_SIZE").asInt());
        assertEquals(100, s.path("CHUNK_OVERLAP").asInt());
        assertEquals(3, s.path("RAG_TOP_K").asInt());
        assertEquals("sentence-transformers/all-MiniLM-L6-v2", s.path("RAG_EMBEDDING_MODEL").asString());
        assertTrue(s.path("indexed_chunks").asLong() >= 5);
    }
}
