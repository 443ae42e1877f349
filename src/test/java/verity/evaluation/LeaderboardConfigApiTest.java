package verity.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static verity.feedback.FeedbackFixtures.PREFIXES;
import static verity.feedback.FeedbackFixtures.assertKeys;

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

/** GET/POST /evaluations/config: the arena settings shown next to the leaderboard (admin only, persisted). */
@ParameterizedClass
@EnumSource(Db.class)
class LeaderboardConfigApiTest {
    static final Map<String, Object> ARENA = Map.of("id", "arena-1", "name", "Arena 1",
            "meta", Map.of("model_ids", List.of("a", "b"), "filter_mode", "include"));

    @Parameter
    Db db;

    TestServer server;
    Api api;
    String admin;

    @BeforeEach
    void setUp() {
        server = FeedbackFixtures.freshServer(db, MutableClock.now());
        api = server.api;
        admin = server.admin().token();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private JsonNode config(String prefix) {
        JsonNode c = api.get(prefix + "/config", admin).expect(200).json();
        assertKeys(c, "ENABLE_EVALUATION_ARENA_MODELS", "EVALUATION_ARENA_MODELS");
        return c;
    }

    @Test
    void the_defaults_enable_arena_models_with_an_empty_list() {
        for (String prefix : PREFIXES) {
            assertEquals(Json.read("{\"ENABLE_EVALUATION_ARENA_MODELS\": true, \"EVALUATION_ARENA_MODELS\": []}"), config(prefix));
        }
    }

    @Test
    void a_partial_update_changes_one_key_and_survives_a_restart() {
        JsonNode off = api.post("/api/v1/evaluations/config", admin, Map.of("ENABLE_EVALUATION_ARENA_MODELS", false))
                .expect(200).json();
        assertEquals(Json.read("{\"ENABLE_EVALUATION_ARENA_MODELS\": false, \"EVALUATION_ARENA_MODELS\": []}"), off);
        JsonNode models = api.post("/api/evaluations/config", admin, Map.of("EVALUATION_ARENA_MODELS", List.of(ARENA)))
                .expect(200).json();
        assertEquals(false, models.get("ENABLE_EVALUATION_ARENA_MODELS").asBoolean(), "the other key is kept");
        assertEquals(Json.read(Json.write(List.of(ARENA))), models.get("EVALUATION_ARENA_MODELS"));
        for (String prefix : PREFIXES) {
            assertEquals(models, config(prefix));
        }
        api.post("/api/evaluations/config", admin, Map.of()).expect(200);
        assertEquals(models, config("/api/evaluations"), "an empty update changes nothing");

        server.restart();
        api = server.api;
        admin = server.admin().token();
        for (String prefix : PREFIXES) {
            assertEquals(models, config(prefix), "persisted across a restart");
        }
        JsonNode on = api.post("/api/evaluations/config", admin, Map.of("ENABLE_EVALUATION_ARENA_MODELS", true,
                "EVALUATION_ARENA_MODELS", List.of())).expect(200).json();
        assertEquals(Json.read("{\"ENABLE_EVALUATION_ARENA_MODELS\": true, \"EVALUATION_ARENA_MODELS\": []}"), on);
    }

    @Test
    void bad_types_are_422_and_change_nothing() {
        for (String prefix : PREFIXES) {
            String path = prefix + "/config";
            api.post(path, admin, Map.of("ENABLE_EVALUATION_ARENA_MODELS", "yes")).expectError(422);
            api.post(path, admin, Map.of("ENABLE_EVALUATION_ARENA_MODELS", 1)).expectError(422);
            api.post(path, admin, Map.of("EVALUATION_ARENA_MODELS", "arena")).expectError(422);
            api.post(path, admin, Map.of("EVALUATION_ARENA_MODELS", List.of(1))).expectError(422);
            api.post(path, admin, Map.of("EVALUATION_ARENA_MODELS", List.of(Map.of("id", "x")))).expectError(422);
            api.post(path, admin, Map.of("EVALUATION_ARENA_MODELS", Map.of("id", "x", "name", "y"))).expectError(422);
            api.post(path, admin, Map.of("ENABLE_EVALUATION_ARENA_MODELS", false, "EVALUATION_ARENA_MODELS", "x"))
                    .expectError(422);
            api.postRaw(path, admin, "{").expectError(400);
        }
        assertEquals(Json.read("{\"ENABLE_EVALUATION_ARENA_MODELS\": true, \"EVALUATION_ARENA_MODELS\": []}"),
                config("/api/evaluations"));
    }

    @Test
    void config_is_admin_only() {
        Api.Account user = FeedbackFixtures.addUser(server, "Uma", "user");
        for (String prefix : PREFIXES) {
            api.get(prefix + "/config", user.token()).expectError(403);
            api.post(prefix + "/config", user.token(), Map.of("ENABLE_EVALUATION_ARENA_MODELS", false)).expectError(403);
            api.get(prefix + "/config", null).expectError(401);
            api.post(prefix + "/config", null, Map.of("ENABLE_EVALUATION_ARENA_MODELS", false)).expectError(401);
        }
        assertEquals(true, config("/api/v1/evaluations").get("ENABLE_EVALUATION_ARENA_MODELS").asBoolean());
    }
}
