package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.gateway.Gateway.chat;

import java.util.List;
import java.util.Map;
import java.util.Set;
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
class ConnectionConfigApiTest {
    @Parameter
    Db db;

    Gateway gw;
    FakeUpstream other;

    @BeforeEach
    void setUp() {
        gw = Gateway.start(db);
        other = FakeUpstream.start(List.of("gpt-other"), List.of("mistral-other:latest"));
    }

    @AfterEach
    void tearDown() {
        try {
            gw.close();
        } finally {
            other.close();
        }
    }

    Set<String> models(String token) {
        return ModelsApiTest.byId(gw.api.get("/api/models", token).expect(200).json().get("data")).keySet();
    }

    @Test
    void the_openai_config_starts_from_the_environment() {
        JsonNode c = gw.api.get("/openai/config", gw.admin()).expect(200).json();
        assertTrue(c.get("ENABLE_OPENAI_API").asBoolean());
        assertEquals(List.of(gw.fake.openAiUrl()), List.of(c.at("/OPENAI_API_BASE_URLS/0").asString()));
        assertEquals(1, c.get("OPENAI_API_BASE_URLS").size());
        assertEquals(1, c.get("OPENAI_API_KEYS").size(), "one key per URL");
        assertTrue(c.get("OPENAI_API_CONFIGS").isObject());
    }

    @Test
    void an_admin_replaces_the_openai_connections_and_the_change_survives_a_restart() {
        String admin = gw.admin();
        Api.Res r = gw.api.post("/openai/config/update", admin, Map.of("ENABLE_OPENAI_API", true,
                "OPENAI_API_BASE_URLS", List.of(other.openAiUrl() + "/"), "OPENAI_API_KEYS", List.of("sk-other"),
                "OPENAI_API_CONFIGS", Map.of())).expect(200);
        assertEquals(other.openAiUrl(), r.json().at("/OPENAI_API_BASE_URLS/0").asString(), "trailing slash dropped");
        assertEquals("sk-other", r.json().at("/OPENAI_API_KEYS/0").asString());
        String user = gw.user();
        Set<String> ids = models(user);
        assertTrue(ids.contains("gpt-other") && !ids.contains("gpt-fake"), ids.toString());
        assertTrue(ids.contains("llama-fake:latest"), "the Ollama connection is untouched");

        gw.restart();
        admin = gw.admin();
        assertEquals(other.openAiUrl(), gw.api.get("/openai/config", admin).json().at("/OPENAI_API_BASE_URLS/0").asString());
        ids = models(user);
        assertTrue(ids.contains("gpt-other") && !ids.contains("gpt-fake"), "after a restart: " + ids);
        gw.post("/api/chat/completions", user, chat("gpt-other", "hi")).expect(200);
        assertEquals("Bearer sk-other", other.last(Gateway.OPENAI_CHAT).header("Authorization"));
    }

    @Test
    void openai_connections_can_be_switched_off_entirely_or_one_by_one() {
        String admin = gw.admin();
        String user = gw.user();
        gw.api.post("/openai/config", admin, Map.of("ENABLE_OPENAI_API", true,
                "OPENAI_API_BASE_URLS", List.of(gw.fake.openAiUrl(), other.openAiUrl()), "OPENAI_API_KEYS", List.of())).expect(200);
        Set<String> ids = models(user);
        assertTrue(ids.containsAll(List.of("gpt-fake", "gpt-other")), ids.toString());
        JsonNode c = gw.api.get("/openai/config", admin).json();
        assertEquals(2, c.get("OPENAI_API_KEYS").size(), "keys are padded to the URLs");

        gw.api.post("/openai/config", admin, Map.of("OPENAI_API_BASE_URLS", List.of(gw.fake.openAiUrl(), other.openAiUrl()),
                "OPENAI_API_CONFIGS", Map.of("0", Map.of("enable", false)))).expect(200);
        ids = models(user);
        assertTrue(ids.contains("gpt-other") && !ids.contains("gpt-fake"), ids.toString());

        gw.api.post("/openai/config", admin, Map.of("ENABLE_OPENAI_API", false,
                "OPENAI_API_BASE_URLS", List.of(gw.fake.openAiUrl()))).expect(200);
        ids = models(user);
        assertFalse(ids.contains("gpt-fake") || ids.contains("gpt-other"), ids.toString());
        assertFalse(gw.api.get("/openai/config", admin).json().get("ENABLE_OPENAI_API").asBoolean());
        gw.post("/api/chat/completions", user, chat("gpt-fake", "hi")).expectError(404);
    }

    @Test
    void an_admin_replaces_the_ollama_connections_and_the_change_survives_a_restart() {
        String admin = gw.admin();
        JsonNode c = gw.api.get("/ollama/config", admin).expect(200).json();
        assertTrue(c.get("ENABLE_OLLAMA_API").asBoolean());
        assertEquals(gw.fake.ollamaUrl(), c.at("/OLLAMA_BASE_URLS/0").asString());
        assertTrue(c.get("OLLAMA_API_CONFIGS").isObject());

        gw.api.post("/ollama/config/update", admin, Map.of("ENABLE_OLLAMA_API", true,
                "OLLAMA_BASE_URLS", List.of(other.ollamaUrl()), "OLLAMA_API_CONFIGS", Map.of())).expect(200);
        String user = gw.user();
        Set<String> ids = models(user);
        assertTrue(ids.contains("mistral-other:latest") && !ids.contains("llama-fake:latest"), ids.toString());

        gw.restart();
        assertEquals(other.ollamaUrl(), gw.api.get("/ollama/config", gw.admin()).json().at("/OLLAMA_BASE_URLS/0").asString());
        assertTrue(models(user).contains("mistral-other:latest"));
        gw.post("/api/chat/completions", user, chat("mistral-other:latest", "hi")).expect(200);
        assertEquals("mistral-other:latest", other.last(Gateway.OLLAMA_CHAT).body().get("model").asString());

        gw.api.post("/ollama/config", gw.admin(), Map.of("ENABLE_OLLAMA_API", false,
                "OLLAMA_BASE_URLS", List.of(other.ollamaUrl()))).expect(200);
        assertFalse(models(user).contains("mistral-other:latest"));
    }

    @Test
    void connection_settings_are_for_admins_only() {
        String user = gw.user();
        for (String path : List.of("/openai/config", "/ollama/config")) {
            gw.api.get(path, user).expectError(403);
            gw.api.get(path, null).expectError(401);
            gw.api.post(path + "/update", user, Map.of()).expectError(403);
            gw.api.post(path, null, Map.of()).expectError(401);
        }
        gw.api.post("/openai/config/update", user, Map.of("OPENAI_API_BASE_URLS", List.of(other.openAiUrl()))).expectError(403);
        assertTrue(models(user).contains("gpt-fake"), "nothing changed");
    }

    @Test
    void connection_settings_are_validated() {
        String admin = gw.admin();
        Api.Res missing = gw.api.post("/openai/config/update", admin, Map.of("ENABLE_OPENAI_API", true)).expectError(422);
        assertEquals("OPENAI_API_BASE_URLS", missing.json().at("/detail/0/loc/1").asString());
        gw.api.post("/openai/config/update", admin, Map.of("OPENAI_API_BASE_URLS", "http://x")).expectError(422);
        gw.api.post("/openai/config/update", admin, Map.of("OPENAI_API_BASE_URLS", List.of("ftp://x"))).expectError(422);
        gw.api.post("/openai/config/update", admin, Map.of("OPENAI_API_BASE_URLS", List.of(5))).expectError(422);
        gw.api.post("/openai/config/update", admin, Map.of("OPENAI_API_BASE_URLS", List.of(other.openAiUrl()),
                "OPENAI_API_KEYS", List.of(1))).expectError(422);
        gw.api.post("/openai/config/update", admin, Map.of("OPENAI_API_BASE_URLS", List.of(other.openAiUrl()),
                "ENABLE_OPENAI_API", "yes")).expectError(422);
        gw.api.post("/ollama/config/update", admin, Map.of("OLLAMA_BASE_URLS", List.of("not a url"))).expectError(422);
        gw.api.post("/ollama/config/update", admin, Map.of("OLLAMA_BASE_URLS", List.of(other.ollamaUrl()),
                "OLLAMA_API_CONFIGS", List.of())).expectError(422);
        gw.api.postRaw("/ollama/config/update", admin, "{").expectError(400);
        assertEquals(gw.fake.openAiUrl(), gw.api.get("/openai/config", admin).json().at("/OPENAI_API_BASE_URLS/0").asString(),
                "a refused update changes nothing");
        assertEquals(gw.fake.ollamaUrl(), gw.api.get("/ollama/config", admin).json().at("/OLLAMA_BASE_URLS/0").asString());
    }
}
