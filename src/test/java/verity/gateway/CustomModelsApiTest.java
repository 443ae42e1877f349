package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.gateway.Gateway.chat;

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

@ParameterizedClass
@EnumSource(Db.class)
class CustomModelsApiTest {
    @Parameter
    Db db;

    Gateway gw;
    Api api;
    String admin;
    String user;

    @BeforeEach
    void setUp() {
        gw = Gateway.start(db);
        api = gw.api;
        admin = gw.admin();
        user = gw.user();
    }

    @AfterEach
    void tearDown() {
        gw.close();
    }

    List<String> listedIds() {
        return ModelsApiTest.byId(api.get("/api/models", user).expect(200).json().get("data")).keySet().stream().toList();
    }

    @Test
    void a_seed_preset_applies_its_system_prompt_and_temperature_and_the_request_s_own_values_win() {
        Api.Res created = api.post("/api/models/create", admin, Map.of("name", "Pirate", "base_model", "gpt-fake",
                "params", Map.of("system", "Talk like a pirate.", "temperature", 0.2, "max_tokens", 64))).expect(200);
        assertEquals("Pirate", created.json().get("id").asString(), "the seed form names the model by its name");
        assertEquals("gpt-fake", created.json().get("base_model_id").asString());
        assertEquals(0.2, created.json().at("/params/temperature").asDouble());
        assertTrue(created.json().get("is_active").asBoolean());

        JsonNode answer = gw.post("/api/chat/completions", user, chat("Pirate", "hello")).expect(200).json();
        assertEquals("Hello from gpt-fake.", answer.at("/choices/0/message/content").asString());
        JsonNode sent = gw.fake.last(Gateway.OPENAI_CHAT).body();
        assertEquals("gpt-fake", sent.get("model").asString(), "forwarded to the base model");
        assertEquals(2, sent.get("messages").size());
        assertEquals("system", sent.at("/messages/0/role").asString());
        assertEquals("Talk like a pirate.", sent.at("/messages/0/content").asString());
        assertEquals("hello", sent.at("/messages/1/content").asString());
        assertEquals(0.2, sent.get("temperature").asDouble());
        assertEquals(64, sent.get("max_tokens").asInt());
        assertFalse(sent.has("system"), "the system prompt is a message, not a parameter");

        gw.post("/api/v1/chat/completions", user, chat("Pirate", "hello", "temperature", 0.9, "max_tokens", 8)).expect(200);
        sent = gw.fake.last(Gateway.OPENAI_CHAT).body();
        assertEquals(0.9, sent.get("temperature").asDouble(), "the request's temperature wins");
        assertEquals(8, sent.get("max_tokens").asInt());
        assertEquals("Talk like a pirate.", sent.at("/messages/0/content").asString());
    }

    @Test
    void a_preset_system_prompt_goes_before_the_request_s_own_system_message() {
        api.post("/api/models/create", admin, Map.of("name", "Echoer", "base_model", "echo",
                "params", Map.of("system", "Preset rules."))).expect(200);
        Map<String, Object> body = chat("Echoer", "hi");
        @SuppressWarnings("unchecked")
        List<Object> messages = (List<Object>) body.get("messages");
        messages.addFirst(Map.of("role", "system", "content", "Be brief."));
        JsonNode answer = gw.post("/api/chat/completions", user, body).expect(200).json();
        // The echo model answers with the JSON of the request it received.
        JsonNode received = verity.http.Json.read(answer.at("/choices/0/message/content").asString());
        assertEquals(2, received.get("messages").size());
        assertEquals("Preset rules.\nBe brief.", received.at("/messages/0/content").asString());
        assertEquals("echo", received.get("model").asString());
    }

    @Test
    void a_preset_over_an_ollama_model_sends_its_parameters_as_ollama_options() {
        api.post("/api/v1/models/create", admin, Map.of("id", "tutor", "name", "Tutor", "base_model_id", "llama-fake:latest",
                "meta", Map.of("description", "Explains things"),
                "params", Map.of("system", "You teach.", "temperature", 0.3, "max_tokens", 50, "top_k", 20))).expect(200);
        JsonNode answer = gw.post("/api/chat/completions", user, chat("tutor", "explain", "top_p", 0.5)).expect(200).json();
        assertEquals("Hello from llama-fake:latest.", answer.at("/choices/0/message/content").asString());
        JsonNode sent = gw.fake.last(Gateway.OLLAMA_CHAT).body();
        assertEquals("llama-fake:latest", sent.get("model").asString());
        assertEquals("system", sent.at("/messages/0/role").asString());
        assertEquals("You teach.", sent.at("/messages/0/content").asString());
        assertEquals(0.3, sent.at("/options/temperature").asDouble());
        assertEquals(50, sent.at("/options/num_predict").asInt());
        assertEquals(20, sent.at("/options/top_k").asInt());
        assertEquals(0.5, sent.at("/options/top_p").asDouble());
    }

    @Test
    void open_webui_routes_get_update_toggle_list_and_delete_a_custom_model() {
        Api.Res created = api.post("/api/v1/models/create", admin, Map.of("id", "helper", "name", "Helper",
                "base_model_id", "gpt-fake", "meta", Map.of("description", "Helps"),
                "params", Map.of("system", "Help."))).expect(200);
        assertEquals("Helps", created.json().at("/meta/description").asString());
        assertTrue(created.json().get("created_at").asLong() > 0);
        assertEquals(gw.server.admin().id(), created.json().get("user_id").asString());

        JsonNode got = api.get("/api/v1/models/model?id=helper", user).expect(200).json();
        assertEquals("Helper", got.get("name").asString());
        assertEquals("Help.", got.at("/params/system").asString());

        JsonNode updated = api.post("/api/v1/models/model/update?id=helper", admin, Map.of("id", "helper", "name", "Helper 2",
                "params", Map.of("system", "Help more.", "temperature", 0.1))).expect(200).json();
        assertEquals("Helper 2", updated.get("name").asString());
        assertEquals("gpt-fake", updated.get("base_model_id").asString(), "fields left out are kept");
        assertEquals("Helps", updated.at("/meta/description").asString());
        gw.post("/api/chat/completions", user, chat("helper", "hi")).expect(200);
        assertEquals("Help more.", gw.fake.last(Gateway.OPENAI_CHAT).body().at("/messages/0/content").asString());
        assertEquals("Helper 2", ModelsApiTest.byId(api.get("/api/models", user).json().get("data")).get("helper")
                .get("name").asString());

        JsonNode list = api.get("/api/v1/models/list", user).expect(200).json();
        assertEquals(1, list.get("total").asInt());
        assertEquals("helper", list.at("/items/0/id").asString());

        JsonNode off = api.post("/api/v1/models/model/toggle?id=helper", admin, null).expect(200).json();
        assertFalse(off.get("is_active").asBoolean());
        assertFalse(listedIds().contains("helper"), "an inactive model is not listed");
        gw.post("/api/chat/completions", user, chat("helper", "hi")).expectError(404);
        assertTrue(api.post("/api/v1/models/model/toggle?id=helper", admin, null).expect(200).json().get("is_active").asBoolean());
        assertTrue(listedIds().contains("helper"));

        assertTrue(api.post("/api/v1/models/model/delete", admin, Map.of("id", "helper")).expect(200).json().asBoolean());
        api.get("/api/v1/models/model?id=helper", user).expectError(404);
        api.delete("/api/v1/models/model/delete?id=helper", admin).expectError(404);
        assertFalse(listedIds().contains("helper"));
        gw.post("/api/chat/completions", user, chat("helper", "hi")).expectError(404);
        assertEquals(0, api.get("/api/v1/models/list", user).json().get("total").asInt());
    }

    @Test
    void the_delete_form_of_open_webui_0_6_takes_the_id_in_the_query() {
        api.post("/api/v1/models/create", admin, Map.of("id", "old-style", "name", "Old", "base_model_id", "echo")).expect(200);
        assertTrue(api.delete("/api/v1/models/model/delete?id=old-style", admin).expect(200).json().asBoolean());
        assertFalse(listedIds().contains("old-style"));
    }

    @Test
    void validation_errors_are_422_and_a_duplicate_id_is_400() {
        Api.Res missing = api.post("/api/models/create", admin, Map.of("base_model", "gpt-fake")).expectError(422);
        assertEquals("name", missing.json().at("/detail/0/loc/1").asString());
        api.post("/api/models/create", admin, Map.of("name", "X", "params", "not an object")).expectError(422);
        api.post("/api/models/create", admin, Map.of("name", 42)).expectError(422);
        api.post("/api/models/create", admin, Map.of("name", "x".repeat(256))).expectError(422);
        api.post("/api/models/create", admin, Map.of("name", "   ")).expectError(422);
        api.postRaw("/api/models/create", admin, "{\"name\": ").expectError(400);
        api.postRaw("/api/models/create", admin, "").expectError(422);

        api.post("/api/models/create", admin, Map.of("name", "Twin", "base_model", "gpt-fake")).expect(200);
        Api.Res dup = api.post("/api/v1/models/create", admin, Map.of("id", "Twin", "name", "Other", "base_model_id", "echo"))
                .expectError(400);
        assertTrue(dup.json().get("detail").asString().contains("already exists"), dup.body());

        api.get("/api/v1/models/model", user).expectError(422);
        api.get("/api/v1/models/model?id=nope", user).expectError(404);
        api.post("/api/v1/models/model/update?id=nope", admin, Map.of("name", "N")).expectError(404);
        api.post("/api/v1/models/model/update?id=Twin", admin, Map.of("params", List.of())).expectError(422);
        api.post("/api/v1/models/model/toggle?id=nope", admin, null).expectError(404);
        api.post("/api/v1/models/model/delete", admin, Map.of()).expectError(422);
        api.get("/api/v1/models/list?page=0", user).expectError(422);
    }

    @Test
    void only_admins_change_custom_models_and_users_may_read_them() {
        api.post("/api/models/create", admin, Map.of("name", "Shared", "base_model", "gpt-fake")).expect(200);
        api.post("/api/models/create", user, Map.of("name", "Mine", "base_model", "gpt-fake")).expectError(403);
        api.post("/api/v1/models/create", user, Map.of("id", "mine", "name", "Mine")).expectError(403);
        api.post("/api/v1/models/model/update?id=Shared", user, Map.of("name", "Hijacked")).expectError(403);
        api.post("/api/v1/models/model/toggle?id=Shared", user, null).expectError(403);
        api.post("/api/v1/models/model/delete", user, Map.of("id", "Shared")).expectError(403);
        api.delete("/api/v1/models/model/delete?id=Shared", user).expectError(403);
        api.get("/api/v1/models/model?id=Shared", user).expect(200);
        api.get("/api/v1/models/list", user).expect(200);
        api.get("/api/v1/models/list", null).expectError(401);
        api.post("/api/models/create", null, Map.of("name", "Anon")).expectError(401);
        assertEquals("Shared", api.get("/api/v1/models/model?id=Shared", admin).json().get("name").asString());
    }

    @Test
    void a_custom_model_without_a_base_overrides_the_provider_model_of_the_same_id() {
        api.post("/api/v1/models/create", admin, Map.of("id", "gpt-fake", "name", "GPT (house rules)",
                "params", Map.of("system", "House rules."))).expect(200);
        JsonNode entry = ModelsApiTest.byId(api.get("/api/models", user).json().get("data")).get("gpt-fake");
        assertEquals("GPT (house rules)", entry.get("name").asString());
        assertEquals("openai", entry.get("owned_by").asString(), "still the provider's model");
        gw.post("/api/chat/completions", user, chat("gpt-fake", "hi")).expect(200);
        JsonNode sent = gw.fake.last(Gateway.OPENAI_CHAT).body();
        assertEquals("gpt-fake", sent.get("model").asString());
        assertEquals("House rules.", sent.at("/messages/0/content").asString());

        api.post("/api/v1/models/model/toggle?id=gpt-fake", admin, null).expect(200);
        assertFalse(listedIds().contains("gpt-fake"), "switching the override off hides the provider model");
        assertTrue(listedIds().contains("echo"));
    }

    @Test
    void a_preset_whose_base_model_is_not_served_fails_with_a_detail() {
        api.post("/api/models/create", admin, Map.of("name", "Orphan", "base_model", "no-such-model")).expect(200);
        for (String path : List.of("/api/chat/completions", "/api/v1/chat/completions")) {
            String detail = gw.post(path, user, chat("Orphan", "hi")).expectError(404).json().get("detail").asString();
            assertTrue(detail.contains("no-such-model") && detail.contains("Orphan"), detail);
        }
        assertTrue(gw.fake.requests(Gateway.OPENAI_CHAT).isEmpty(), "nothing was sent to a model server");
    }
}
