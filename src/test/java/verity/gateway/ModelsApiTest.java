package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
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
class ModelsApiTest {
    @Parameter
    Db db;

    Gateway gw;

    @AfterEach
    void tearDown() {
        if (gw != null) {
            gw.close();
        }
    }

    static Map<String, JsonNode> byId(JsonNode list) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        list.forEach(e -> m.put(e.path("id").asString(), e));
        return m;
    }

    @Test
    void the_models_list_has_the_openai_and_open_webui_shapes_with_owned_by_per_source() {
        gw = Gateway.start(db);
        String user = gw.user();
        Api.Res r = gw.api.get("/api/models", user).expect(200);
        assertEquals("list", r.json().get("object").asString());
        assertEquals(r.json().get("data"), r.json().get("models"), "data and models are the same list");
        Map<String, JsonNode> models = byId(r.json().get("data"));
        assertEquals(List.of("gpt-fake", "echo", "llama-fake:latest", "ollama-echo:latest", "arena-model"),
                List.copyOf(models.keySet()));
        assertEquals("openai", models.get("gpt-fake").get("owned_by").asString());
        assertEquals("openai", models.get("echo").get("owned_by").asString());
        assertEquals("ollama", models.get("llama-fake:latest").get("owned_by").asString());
        assertEquals("arena", models.get("arena-model").get("owned_by").asString());
        assertEquals("Arena Model", models.get("arena-model").get("name").asString());
        for (JsonNode m : models.values()) {
            assertTrue(m.get("name").isString() && !m.get("name").asString().isEmpty(), m.toString());
            assertTrue(m.get("created").isIntegralNumber(), m.toString());
            assertEquals("model", m.path("object").asString(), m.toString());
        }
        assertEquals(1_700_000_000L, models.get("gpt-fake").get("created").asLong(), "created comes from the server's list");

        for (String path : List.of("/api/v1/models", "/api/models/", "/api/v1/models/", "/api/models?refresh=true")) {
            Api.Res again = gw.api.get(path, user).expect(200);
            assertEquals(models.keySet(), byId(again.json().get("data")).keySet(), path);
        }
        assertEquals(List.of("/v1/models"), gw.fake.requests().stream().map(FakeUpstream.Received::path)
                .filter(p -> p.startsWith("/v1")).distinct().toList());
    }

    @Test
    void custom_models_are_listed_as_owned_by_custom() {
        gw = Gateway.start(db);
        gw.api.post("/api/models/create", gw.admin(), Map.of("name", "Pirate", "base_model", "gpt-fake",
                "params", Map.of("system", "Arr."))).expect(200);
        JsonNode pirate = byId(gw.api.get("/api/models", gw.user()).json().get("data")).get("Pirate");
        assertEquals("custom", pirate.get("owned_by").asString());
        assertEquals("Pirate", pirate.get("name").asString());
        assertTrue(pirate.get("created").asLong() > 1_700_000_000L);
    }

    @Test
    void base_models_are_admin_only_and_leave_out_arena_and_custom_models() {
        gw = Gateway.start(db);
        String admin = gw.admin();
        gw.api.post("/api/models/create", admin, Map.of("name", "Preset", "base_model", "gpt-fake")).expect(200);
        for (String path : List.of("/api/models/base", "/api/v1/models/base")) {
            Api.Res r = gw.api.get(path, admin).expect(200);
            assertEquals(List.of("gpt-fake", "echo", "llama-fake:latest", "ollama-echo:latest"),
                    List.copyOf(byId(r.json().get("data")).keySet()), path);
            assertEquals(r.json().get("data"), r.json().get("models"));
        }
        gw.api.get("/api/models/base", gw.user()).expectError(403);
        gw.api.get("/api/models/base", null).expectError(401);
    }

    @Test
    void an_unreachable_connection_is_skipped_and_the_others_still_serve() {
        Map<String, String> env = new HashMap<>();
        env.put("OPENAI_API_BASE_URL", null);
        FakeUpstream second = FakeUpstream.start(List.of("gpt-second"), List.of());
        env.put("OPENAI_API_BASE_URLS", FakeUpstream.closedUrl() + "/v1;" + second.openAiUrl());
        try {
            gw = Gateway.start(db, env);
            String user = gw.user();
            Map<String, JsonNode> models = byId(gw.api.get("/api/models", user).expect(200).json().get("data"));
            assertEquals(List.of("gpt-second", "llama-fake:latest", "ollama-echo:latest", "arena-model"),
                    List.copyOf(models.keySet()));
            assertEquals(1, models.get("gpt-second").get("urlIdx").asInt(), "the position of its connection");
            JsonNode answer = gw.post("/api/chat/completions", user, Gateway.chat("gpt-second", "hi")).expect(200).json();
            assertEquals("Hello from gpt-second.", answer.at("/choices/0/message/content").asString());
        } finally {
            second.close();
        }
    }

    @Test
    void with_no_reachable_model_server_the_list_is_empty_and_has_no_arena() {
        gw = Gateway.start(db, Map.of("OPENAI_API_BASE_URL", FakeUpstream.closedUrl() + "/v1",
                "OLLAMA_BASE_URL", FakeUpstream.closedUrl()));
        Api.Res r = gw.api.get("/api/models", gw.user()).expect(200);
        assertEquals(0, r.json().get("data").size(), r.body());
        assertEquals(0, r.json().get("models").size());
    }

    @Test
    void connections_can_be_switched_off_by_environment() {
        gw = Gateway.start(db, Map.of("ENABLE_OLLAMA_API", "false", "ENABLE_EVALUATION_ARENA_MODELS", "false"));
        Map<String, JsonNode> models = byId(gw.api.get("/api/models", gw.user()).json().get("data"));
        assertEquals(List.of("gpt-fake", "echo"), List.copyOf(models.keySet()));
        assertTrue(gw.fake.requests("/api/tags").isEmpty(), "a disabled connection is not even asked");
    }

    @Test
    void configured_arena_models_replace_the_default_one() {
        gw = Gateway.start(db, Map.of("EVALUATION_ARENA_MODELS",
                "[{\"id\":\"duel\",\"name\":\"Duel\",\"meta\":{\"model_ids\":[\"gpt-fake\",\"llama-fake:latest\"]}}]"));
        Map<String, JsonNode> models = byId(gw.api.get("/api/v1/models", gw.user()).json().get("data"));
        assertFalse(models.containsKey("arena-model"));
        assertEquals("arena", models.get("duel").get("owned_by").asString());
        assertEquals("Duel", models.get("duel").get("name").asString());
    }

    @Test
    void the_api_key_of_a_connection_is_sent_and_an_upstream_401_is_not_passed_on_as_the_callers() {
        FakeUpstream fake = FakeUpstream.start();
        fake.requireApiKey("sk-upstream");
        gw = Gateway.start(db, fake, Map.of("OPENAI_API_KEY", "sk-upstream"));
        String user = gw.user();
        assertTrue(byId(gw.api.get("/api/models", user).json().get("data")).containsKey("gpt-fake"));
        assertEquals("Bearer sk-upstream", fake.last("/v1/models").header("Authorization"));
        gw.post("/api/chat/completions", user, Gateway.chat("gpt-fake", "hi")).expect(200);
        assertEquals("Bearer sk-upstream", fake.last(Gateway.OPENAI_CHAT).header("Authorization"));
        assertEquals(null, fake.last(Gateway.OPENAI_CHAT).header("X-Api-Key"));

        // The key is revoked upstream: that is the server's problem (502), not the caller's credentials (401).
        fake.requireApiKey("sk-rotated");
        Api.Res r = gw.post("/api/chat/completions", user, Gateway.chat("gpt-fake", "hi")).expectError(502);
        assertTrue(r.json().get("detail").asString().contains("Incorrect API key"), r.body());
    }

    @Test
    void the_caller_s_own_credentials_are_never_sent_upstream() {
        gw = Gateway.start(db);
        String user = gw.user();
        gw.post("/api/chat/completions", user, Gateway.chat("gpt-fake", "hi")).expect(200);
        gw.post("/api/chat/completions", user, Gateway.chat("llama-fake:latest", "hi")).expect(200);
        List<FakeUpstream.Received> all = new ArrayList<>(gw.fake.requests());
        for (FakeUpstream.Received r : all) {
            assertEquals(null, r.header("Authorization"), r.path());
            assertEquals(null, r.header("Cookie"), r.path());
        }
    }

    @Test
    void pending_users_and_anonymous_callers_cannot_list_models() {
        gw = Gateway.start(db);
        String pending = gw.server.newUser("pending").token();
        gw.api.get("/api/models", pending).expectError(403);
        gw.api.get("/api/models", null).expectError(401);
        gw.api.get("/api/v1/models", null).expectError(401);
    }
}
