package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.support.Api;
import verity.support.Db;
import verity.support.FakeUpstream;

@ParameterizedClass
@EnumSource(Db.class)
class OllamaProxyApiTest {
    @Parameter
    Db db;

    Gateway gw;
    Api api;
    String user;

    @BeforeEach
    void setUp() {
        gw = Gateway.start(db);
        api = gw.api;
        user = gw.user();
    }

    @AfterEach
    void tearDown() {
        gw.close();
    }

    static Map<String, Object> ollamaChat(String model, String content, Object... more) {
        return Gateway.chat(model, content, more);
    }

    @Test
    void tags_lists_the_models_of_the_ollama_servers_with_their_position() {
        JsonNode tags = api.get("/ollama/api/tags", user).expect(200).json();
        JsonNode models = tags.get("models");
        assertEquals(2, models.size(), tags.toString());
        assertEquals("llama-fake:latest", models.at("/0/name").asString());
        assertEquals("llama-fake:latest", models.at("/0/model").asString());
        assertEquals(0, models.at("/0/urls/0").asInt());
        assertEquals(4_661_224_676L, models.at("/0/size").asLong(), "the server's own fields are passed through");
        assertEquals("gguf", models.at("/0/details/format").asString());
        assertTrue(models.at("/0/digest").asString().startsWith("sha256:"));
        assertEquals("ollama-echo:latest", models.at("/1/name").asString());
        api.get("/ollama/api/tags", null).expectError(401);
        api.get("/ollama/api/tags", gw.server.newUser("pending").token()).expectError(403);
    }

    @Test
    void chat_is_passed_through_as_ndjson_with_unknown_fields_kept() {
        Api.Res r = gw.post("/ollama/api/chat", user, ollamaChat("llama-fake:latest", "hi", "keep_alive", "5m",
                "options", Map.of("num_ctx", 4096))).expect(200);
        assertTrue(r.header("Content-Type").startsWith("application/x-ndjson"), r.header("Content-Type"));
        List<JsonNode> lines = Gateway.ndjson(r.body());
        assertEquals(4, lines.size(), r.body());
        StringBuilder content = new StringBuilder();
        lines.forEach(l -> content.append(l.at("/message/content").asString("")));
        assertEquals("Hello from llama-fake:latest.", content.toString());
        assertFalse(lines.getFirst().get("done").asBoolean());
        JsonNode last = lines.getLast();
        assertTrue(last.get("done").asBoolean());
        assertEquals(FakeUpstream.COMPLETION_TOKENS, last.get("eval_count").asInt(), "Ollama's own fields arrive untouched");
        JsonNode sent = gw.fake.last("/api/chat").body();
        assertEquals("5m", sent.get("keep_alive").asString());
        assertEquals(4096, sent.at("/options/num_ctx").asInt());
        assertFalse(sent.has("stream"), "the body is passed on as given");
    }

    @Test
    void tags_merges_a_model_served_by_two_ollama_servers() {
        try (FakeUpstream second = FakeUpstream.start(List.of(), List.of("llama-fake:latest", "phi-second:latest"))) {
            api.post("/ollama/config/update", gw.admin(), Map.of("OLLAMA_BASE_URLS",
                    List.of(gw.fake.ollamaUrl(), FakeUpstream.closedUrl(), second.ollamaUrl()))).expect(200);
            JsonNode models = api.get("/ollama/api/tags", user).expect(200).json().get("models");
            assertEquals(3, models.size(), models.toString());
            assertEquals("llama-fake:latest", models.at("/0/model").asString());
            assertEquals(List.of(0, 2), List.of(models.at("/0/urls/0").asInt(), models.at("/0/urls/1").asInt()));
            assertEquals("phi-second:latest", models.at("/2/model").asString());
            assertEquals(1, models.at("/2/urls").size());
            assertEquals(2, models.at("/2/urls/0").asInt());
        }
    }

    @Test
    void a_model_name_without_a_tag_means_latest() {
        Api.Res r = gw.post("/ollama/api/chat", user, ollamaChat("llama-fake", "hi", "stream", false)).expect(200);
        assertEquals("Hello from llama-fake.", r.json().at("/message/content").asString());
        gw.post("/ollama/api/generate", user, Map.of("model", "llama-fake", "prompt", "hi", "stream", false)).expect(200);
    }

    @Test
    void chat_without_streaming_answers_one_json_object() {
        Api.Res r = gw.post("/ollama/api/chat", user, ollamaChat("llama-fake:latest", "hi", "stream", false)).expect(200);
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        assertEquals("Hello from llama-fake:latest.", r.json().at("/message/content").asString());
        assertTrue(r.json().get("done").asBoolean());
    }

    @Test
    void ollama_lines_are_passed_on_as_they_arrive() {
        Gateway.Sse s = gw.stream("/ollama/api/chat", user, ollamaChat("llama-fake:latest", "slow:400:3"));
        assertEquals(200, s.status());
        assertEquals(4, s.lines().size(), s.lines().toString());
        assertTrue(s.lines().getFirst().contains("t1 "), s.lines().getFirst());
        long first = s.lineAtMs().getFirst();
        assertTrue(first < s.totalMs() / 2, "first line after " + first + " ms of " + s.totalMs() + " ms");
        assertTrue(s.lineAtMs().get(2) - first >= 500, "lines sent 800 ms apart arrived " + (s.lineAtMs().get(2) - first) + " ms apart");
    }

    @Test
    void generate_is_passed_through() {
        Api.Res r = gw.post("/ollama/api/generate", user, Map.of("model", "llama-fake:latest", "prompt", "hi", "stream", false))
                .expect(200);
        assertEquals("Hello from llama-fake:latest.", r.json().get("response").asString());
        assertEquals(3, r.json().get("context").size());
        Api.Res streamed = gw.post("/ollama/api/generate", user, Map.of("model", "llama-fake:latest", "prompt", "hi")).expect(200);
        List<JsonNode> lines = Gateway.ndjson(streamed.body());
        assertEquals("Hello", lines.getFirst().get("response").asString());
        assertTrue(lines.getLast().get("done").asBoolean());
        assertEquals("hi", gw.fake.last("/api/generate").body().get("prompt").asString());
    }

    @Test
    void passthrough_errors_keep_the_detail_shape() {
        Api.Res unknown = gw.post("/ollama/api/chat", user, ollamaChat("no-such-model", "hi")).expectError(404);
        assertTrue(unknown.json().get("detail").asString().contains("no-such-model"));
        gw.post("/ollama/api/chat", user, ollamaChat("gpt-fake", "hi")).expectError(404);
        gw.post("/ollama/api/chat", user, Map.of("messages", List.of())).expectError(422);
        api.postRaw("/ollama/api/generate", user, "{").expectError(400);
        gw.post("/ollama/api/chat", user, ollamaChat("llama-fake:latest", "fail:429")).expectError(429);
        gw.post("/ollama/api/chat", user, ollamaChat("llama-fake:latest", "fail:500")).expectError(502);
        gw.post("/ollama/api/chat", null, ollamaChat("llama-fake:latest", "hi")).expectError(401);
        gw.post("/ollama/api/generate", gw.server.newUser("pending").token(),
                Map.of("model", "llama-fake:latest", "prompt", "hi")).expectError(403);
    }

    @Test
    void an_admin_pull_streams_the_progress_and_the_model_is_then_listed() {
        String admin = gw.admin();
        Api.Res r = gw.post("/api/models/pull", admin, Map.of("name", "qwen-new")).expect(200);
        assertTrue(r.header("Content-Type").startsWith("application/x-ndjson"), r.header("Content-Type"));
        List<JsonNode> lines = Gateway.ndjson(r.body());
        assertEquals("pulling manifest", lines.getFirst().get("status").asString());
        assertTrue(lines.stream().anyMatch(l -> l.path("completed").asInt(-1) == 500), r.body());
        assertEquals("success", lines.getLast().get("status").asString());
        assertEquals("qwen-new", gw.fake.last("/api/pull").body().get("name").asString());
        assertTrue(ModelsApiTest.byId(api.get("/api/models", user).json().get("data")).containsKey("qwen-new:latest"),
                "the model list is refreshed after a pull");

        Api.Res quiet = gw.post("/api/v1/models/pull", admin, Map.of("name", "tiny", "stream", false)).expect(200);
        assertEquals("success", quiet.json().get("status").asString());
        gw.post("/ollama/api/pull", admin, Map.of("name", "other")).expect(200);

        gw.post("/api/models/pull", user, Map.of("name", "qwen-new")).expectError(403);
        gw.post("/api/models/pull", null, Map.of("name", "qwen-new")).expectError(401);
        gw.post("/api/models/pull", admin, Map.of()).expectError(422);
    }

    @Test
    void the_ollama_health_check_is_public() {
        assertTrue(api.get("/ollama", null).expect(200).json().get("status").asBoolean());
        api.send("HEAD", "/ollama", Map.of(), null).expect(200);
    }
}
