package verity.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.feedback.FeedbackFixtures;
import verity.http.Json;
import verity.support.Api;
import verity.support.Db;
import verity.support.MutableClock;
import verity.support.TestServer;

/** Training datasets from Open WebUI ratings whose chat snapshot holds the prompt, the answer and its siblings. */
@ParameterizedClass
@EnumSource(Db.class)
class DatasetExportApiTest {
    @Parameter
    Db db;

    MutableClock clock;
    TestServer server;
    Api api;
    String admin;
    String user;

    @BeforeEach
    void setUp() {
        clock = MutableClock.now();
        server = FeedbackFixtures.freshServer(db, clock);
        api = server.api;
        admin = server.admin().token();
        user = server.newUser("user").token();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    /** A chat: u1 asks, a1 (model A) and a2 (model B) answer as siblings. */
    private static Map<String, Object> snapshot() {
        Map<String, Object> messages = Map.of(
                "u1", Map.of("id", "u1", "role", "user", "content", "What is 2+2?", "childrenIds", List.of("a1", "a2")),
                "a1", Map.of("id", "a1", "parentId", "u1", "role", "assistant", "content", "4", "model", "A"),
                "a2", Map.of("id", "a2", "parentId", "u1", "role", "assistant", "content", "5", "model", "B"));
        return Map.of("chat", Map.of("history", Map.of("messages", messages, "currentId", "a1")));
    }

    private void rate(String message, String model, int rating, List<String> siblings, boolean withSnapshot) {
        Map<String, Object> body = FeedbackFixtures.rating(model, rating, siblings);
        body.put("meta", Map.of("chat_id", "c1", "message_id", message));
        if (withSnapshot) {
            body.put("snapshot", snapshot());
        }
        FeedbackFixtures.create(api, user, body);
        clock.advance(java.time.Duration.ofSeconds(1));
    }

    private List<JsonNode> lines(String format) {
        Api.Res r = api.get("/api/v1/evaluations/export/" + format + "?summary=true", admin).expect(200);
        assertTrue(r.header("Content-Type").startsWith("application/x-ndjson"));
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (!line.isBlank()) {
                out.add(Json.read(line));
            }
        }
        return out;
    }

    @Test
    void kto_rows_come_from_thumbs_and_missing_conversations_are_counted_as_skipped() {
        rate("a1", "A", 1, List.of("B"), true);
        rate("a2", "B", -1, null, true);
        rate("a1", "A", 1, null, false);
        List<JsonNode> rows = lines("kto");
        assertEquals(3, rows.size());
        assertEquals("What is 2+2?", rows.get(0).get("prompt").get(0).get("content").asString());
        assertEquals("4", rows.get(0).get("completion").get(0).get("content").asString());
        assertTrue(rows.get(0).get("label").asBoolean());
        assertEquals("5", rows.get(1).get("completion").get(0).get("content").asString());
        assertTrue(!rows.get(1).get("label").asBoolean());
        JsonNode summary = rows.get(2).get("summary");
        assertEquals(2, summary.get("rows").asInt());
        assertEquals(1, summary.get("skipped").asInt(), "the rating without a snapshot has no conversation");
    }

    @Test
    void dpo_pairs_the_rated_answer_with_its_siblings_in_both_dialects() {
        rate("a1", "A", 1, List.of("B"), true);
        rate("a2", "B", -1, List.of("A"), true);
        List<JsonNode> openai = lines("dpo-openai");
        assertEquals(3, openai.size());
        for (JsonNode row : openai.subList(0, 2)) {
            assertEquals("What is 2+2?", row.get("input").get("messages").get(0).get("content").asString());
            assertEquals("4", row.get("preferred_output").get(0).get("content").asString());
            assertEquals("5", row.get("non_preferred_output").get(0).get("content").asString());
            assertEquals("assistant", row.get("preferred_output").get(0).get("role").asString());
        }
        List<JsonNode> trl = lines("dpo-trl");
        assertEquals("4", trl.get(0).get("chosen").get(0).get("content").asString());
        assertEquals("5", trl.get(0).get("rejected").get(0).get("content").asString());
        assertEquals("user", trl.get(0).get("prompt").get(0).get("role").asString());
    }

    @Test
    void sft_takes_accepted_answers_and_filters_apply() {
        rate("a1", "A", 1, null, true);
        rate("a2", "B", -1, null, true);
        List<JsonNode> rows = lines("sft");
        assertEquals(2, rows.size(), "one accepted answer plus the summary");
        JsonNode messages = rows.get(0).get("messages");
        assertEquals("user", messages.get(0).get("role").asString());
        assertEquals("4", messages.get(1).get("content").asString());
        String filtered = api.get("/api/v1/evaluations/export/kto?model_id=B", admin).expect(200).body();
        assertEquals(1, filtered.strip().split("\n").length);
        assertTrue(filtered.contains("\"5\""));
    }

    @Test
    void unknown_formats_and_callers_are_refused() {
        api.get("/api/v1/evaluations/export/parquet", admin).expectError(404);
        api.get("/api/v1/evaluations/export/kto?page=0", admin).expectError(422);
        api.get("/api/v1/evaluations/export/kto", user).expectError(403);
        api.get("/api/v1/evaluations/export/kto", null).expectError(401);
    }
}
