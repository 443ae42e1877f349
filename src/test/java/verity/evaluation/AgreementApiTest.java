package verity.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.feedback.FeedbackFixtures;
import verity.support.Api;
import verity.support.Db;
import verity.support.MutableClock;
import verity.support.TestServer;

/** Agreement between annotators who rated the same chat messages. */
@ParameterizedClass
@EnumSource(Db.class)
class AgreementApiTest {
    @Parameter
    Db db;

    TestServer server;
    Api api;

    @BeforeEach
    void setUp() {
        server = FeedbackFixtures.freshServer(db, MutableClock.now());
        api = server.api;
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private void rate(String token, String message, int rating) {
        Map<String, Object> body = FeedbackFixtures.rating("m", rating, null);
        body.put("meta", Map.of("chat_id", "chat-1", "message_id", message));
        FeedbackFixtures.create(api, token, body);
    }

    /**
     * Two annotators, four messages: both up on m1 and m2, both down on m3, split on m4. Observed agreement 3/4;
     * annotator X said up 3 times of 4, Y 2 of 4: expected = 3/4·2/4 + 1/4·2/4 = 1/2; κ = (3/4 − 1/2)/(1 − 1/2) = 0.5.
     */
    @Test
    void cohen_and_fleiss_kappa_match_the_hand_computed_values() {
        String x = server.newUser("user").token();
        String y = server.newUser("user").token();
        rate(x, "m1", 1);
        rate(y, "m1", 1);
        rate(x, "m2", 1);
        rate(y, "m2", 1);
        rate(x, "m3", -1);
        rate(y, "m3", -1);
        rate(x, "m4", 1);
        rate(y, "m4", -1);
        JsonNode a = api.get("/api/v1/evaluations/agreement", server.admin().token()).expect(200).json();
        assertEquals(4, a.get("items").asInt());
        assertEquals(2, a.get("annotators").asInt());
        assertEquals(1, a.get("cohen").size());
        assertEquals(0.5, a.get("cohen").get(0).get("kappa").asDouble(), 1e-9);
        assertEquals(4, a.get("cohen").get(0).get("shared_items").asInt());
        // Fleiss: P̄ = 3/4; pooled shares up 5/8, down 3/8 → P_e = 25/64 + 9/64 = 34/64; κ = (48/64 − 34/64)/(30/64) = 14/30.
        assertEquals(14.0 / 30, a.get("fleiss").get("kappa").asDouble(), 1e-9);
        assertEquals("message:chat-1/m4", a.get("most_disputed").get(0).get("item_id").asString());
    }

    @Test
    void the_latest_rating_of_an_annotator_counts_and_access_is_admin_only() {
        String x = server.newUser("user").token();
        rate(x, "m1", 1);
        rate(x, "m1", -1);
        JsonNode a = api.get("/api/v1/evaluations/agreement", server.admin().token()).expect(200).json();
        assertEquals(1, a.get("ratings").asInt());
        assertTrue(a.get("fleiss").get("kappa").isNull(), "one rating per item: undefined");
        api.get("/api/v1/evaluations/agreement", x).expectError(403);
        api.get("/api/v1/evaluations/agreement", null).expectError(401);
        api.get("/api/v1/evaluations/agreement?limit=0", server.admin().token()).expectError(422);
    }
}
