package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.gateway.Gateway.chat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.support.Api;
import verity.support.Db;

@ParameterizedClass
@EnumSource(Db.class)
class ArenaApiTest {
    static final Set<String> REAL = Set.of("gpt-fake", "echo", "llama-fake:latest", "ollama-echo:latest");

    @Parameter
    Db db;

    Gateway gw;

    @AfterEach
    void tearDown() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void the_default_arena_model_answers_with_a_randomly_chosen_real_model_and_names_it() {
        gw = Gateway.start(db);
        String user = gw.user();
        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            Api.Res r = gw.post("/api/chat/completions", user, chat("arena-model", "hi")).expect(200);
            String selected = r.json().get("selected_model_id").asString();
            assertTrue(REAL.contains(selected), selected);
            assertTrue(r.json().at("/choices/0/message/content").isString());
            chosen.add(selected);
            JsonNode log = gw.logged(r.header("Helicone-Id"), user);
            assertEquals("arena-model", log.get("model").asString());
            assertEquals(selected, log.get("selected_model_id").asString());
            assertEquals(selected, log.at("/response_body/selected_model_id").asString());
        }
        assertTrue(chosen.size() > 1, "16 picks among 4 models all fell on " + chosen);
    }

    @Test
    void a_streamed_arena_answer_names_the_chosen_model_in_its_first_event() {
        gw = Gateway.start(db);
        String user = gw.user();
        for (int i = 0; i < 6; i++) {
            Gateway.Sse s = gw.stream("/api/v1/chat/completions", user, chat("arena-model", "hi", "stream", true)).expectOk();
            JsonNode first = s.chunks().getFirst();
            String selected = first.get("selected_model_id").asString();
            assertTrue(REAL.contains(selected), first.toString());
            assertEquals("chat.completion.chunk", first.get("object").asString(), first.toString());
            assertEquals(1, first.get("choices").size(), "the choice rides on the first real chunk: " + first);
            List<JsonNode> rest = s.chunks().subList(1, s.chunks().size());
            assertFalse(rest.isEmpty());
            rest.forEach(c -> assertEquals("chat.completion.chunk", c.get("object").asString(), c.toString()));
            assertTrue(rest.stream().noneMatch(c -> c.has("selected_model_id")));
            assertEquals(selected, gw.logged(s.header("Helicone-Id"), user).get("selected_model_id").asString());
        }
    }

    @Test
    void an_arena_with_an_include_list_only_picks_those_models() {
        gw = Gateway.start(db, Map.of("EVALUATION_ARENA_MODELS",
                "[{\"id\":\"duel\",\"name\":\"Duel\",\"meta\":{\"model_ids\":[\"llama-fake:latest\"]}}]"));
        String user = gw.user();
        for (int i = 0; i < 5; i++) {
            Api.Res r = gw.post("/api/chat/completions", user, chat("duel", "hi")).expect(200);
            assertEquals("llama-fake:latest", r.json().get("selected_model_id").asString());
            assertEquals("Hello from llama-fake:latest.", r.json().at("/choices/0/message/content").asString());
        }
    }

    @Test
    void an_arena_with_an_exclude_filter_never_picks_the_excluded_models() {
        gw = Gateway.start(db, Map.of("EVALUATION_ARENA_MODELS", "[{\"id\":\"rest\",\"name\":\"Rest\",\"meta\":"
                + "{\"filter_mode\":\"exclude\",\"model_ids\":[\"gpt-fake\",\"echo\",\"ollama-echo:latest\"]}}]"));
        String user = gw.user();
        for (int i = 0; i < 5; i++) {
            Gateway.Sse s = gw.stream("/api/chat/completions", user, chat("rest", "hi", "stream", true)).expectOk();
            assertEquals("llama-fake:latest", s.chunks().getFirst().get("selected_model_id").asString());
        }
    }

    @Test
    void arena_settings_changed_at_run_time_change_the_models() {
        gw = Gateway.start(db);
        String admin = gw.admin();
        String user = gw.user();
        gw.api.post("/api/v1/evaluations/config", admin, Map.of("ENABLE_EVALUATION_ARENA_MODELS", true,
                "EVALUATION_ARENA_MODELS", List.of(Map.of("id", "gpt-only", "name", "GPT only",
                        "meta", Map.of("model_ids", List.of("gpt-fake")))))).expect(200);
        Set<String> ids = ModelsApiTest.byId(gw.api.get("/api/models", user).json().get("data")).keySet();
        assertTrue(ids.contains("gpt-only") && !ids.contains("arena-model"), ids.toString());
        assertEquals("gpt-fake", gw.post("/api/chat/completions", user, chat("gpt-only", "hi")).expect(200)
                .json().get("selected_model_id").asString());

        gw.api.post("/api/v1/evaluations/config", admin, Map.of("ENABLE_EVALUATION_ARENA_MODELS", false)).expect(200);
        ids = ModelsApiTest.byId(gw.api.get("/api/models", user).json().get("data")).keySet();
        assertFalse(ids.contains("gpt-only"), ids.toString());
        gw.post("/api/chat/completions", user, chat("gpt-only", "hi")).expectError(404);
    }

    @Test
    void an_arena_whose_models_are_all_gone_fails_with_a_detail() {
        gw = Gateway.start(db, Map.of("EVALUATION_ARENA_MODELS",
                "[{\"id\":\"ghost\",\"name\":\"Ghost\",\"meta\":{\"model_ids\":[\"retired-model\"]}}]"));
        String id = UUID.randomUUID().toString();
        Api.Res r = gw.post("/api/chat/completions", gw.user(), chat("ghost", "hi"), "Helicone-Request-Id", id);
        assertTrue(r.status() >= 400 && r.status() != 500, r.body());
        r.expectError(r.status());
        assertTrue(gw.fake.requests(Gateway.OPENAI_CHAT).isEmpty() && gw.fake.requests(Gateway.OLLAMA_CHAT).isEmpty());
    }
}
