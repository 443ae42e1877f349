package verity.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import verity.files.Uploads;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

/** Each supported format through HTTP: uploaded, extracted, indexed and found. */
class FormatsApiTest {

    @Test
    void every_format_is_extracted_and_searchable() throws Exception {
        TestServer server = TestServer.shared(Db.SQLITE);
        Api api = server.api;
        Api.Account user = server.newUser("user");
        record Upload(String name, String type, byte[] bytes, String expected) {}
        List<Upload> uploads = List.of(
                new Upload("report.pdf", "application/pdf", TextExtractorTest.pdf(
                        "The annual budget covers salaries, rent and travel for the finance department.\n".repeat(30),
                        "Glaciers retreat each summer as the ice melts in the warm months.\n".repeat(30)), "Glaciers retreat each summer"),
                new Upload("memo.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        TextExtractorTest.docx("Budget approved for the new observatory", "telescope"), "Budget approved for the new observatory"),
                new Upload("page.html", "text/html", "<html><body><p>Tidal energy from the moon</p><script>x()</script></body></html>".getBytes(StandardCharsets.UTF_8), "Tidal energy from the moon"),
                new Upload("table.csv", "text/csv", "city,population\nReykjavik,139875\n".getBytes(StandardCharsets.UTF_8), "Reykjavik,139875"),
                new Upload("data.json", "application/json", "{\"volcano\": \"Hekla\", \"height_m\": 1491}".getBytes(StandardCharsets.UTF_8), "Hekla"),
                new Upload("notes.md", "text/markdown", "# Bees\n\nHoney bees dance to share where flowers are.".getBytes(StandardCharsets.UTF_8), "Honey bees dance"));
        String knowledge = api.post("/api/v1/knowledge/create", user.token(), Map.of("name", "Formats")).expect(200).json().path("id").asString();
        for (Upload u : uploads) {
            String id = api.upload("/api/v1/files/", user.token(), u.name(), u.type(), u.bytes()).expect(200).json().path("id").asString();
            assertEquals("completed", Uploads.processed(api, user.token(), id).path("status").asString(), u.name());
            assertTrue(api.get("/api/v1/files/" + id + "/data/content", user.token()).expect(200).json().path("content").asString()
                    .contains(u.expected()), u.name());
            api.post("/api/v1/knowledge/" + knowledge + "/file/add", user.token(), Map.of("file_id", id)).expect(200);
        }
        JsonNode top = api.post("/api/retrieval/query", user.token(), Map.of("query", "melting ice in warm months",
                "knowledge_ids", List.of(knowledge), "top_k", 1)).expect(200).json().path("results").get(0);
        assertEquals("report.pdf", top.at("/metadata/filename").asString());
        assertEquals(2, top.at("/metadata/page").asInt(), "the chunk starts on page 2: " + top);
    }
}
