package verity.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.feedback.FeedbackFixtures.PREFIXES;
import static verity.feedback.FeedbackFixtures.addUser;
import static verity.feedback.FeedbackFixtures.assertKeys;
import static verity.feedback.FeedbackFixtures.create;
import static verity.feedback.FeedbackFixtures.ids;
import static verity.feedback.FeedbackFixtures.rating;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
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
import verity.http.Json;
import verity.support.Api;
import verity.support.Db;
import verity.support.MutableClock;
import verity.support.TestServer;

/** GET /feedbacks/list: pages of 30, ordering, filters; and the same filters on /feedbacks/all/export. */
@ParameterizedClass
@EnumSource(Db.class)
class FeedbackListApiTest {
    @Parameter
    Db db;

    MutableClock clock;
    TestServer server;
    Api api;
    Api.Account admin;

    @BeforeEach
    void setUp() {
        clock = MutableClock.now();
        server = FeedbackFixtures.freshServer(db, clock);
        api = server.api;
        admin = server.admin();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private void tick() {
        clock.advance(Duration.ofSeconds(1));
    }

    private JsonNode list(String prefix, String query) {
        return api.get(prefix + "/feedbacks/list" + query, admin.token()).expect(200).json();
    }

    @Test
    void an_empty_list_has_no_pages() {
        for (String prefix : PREFIXES) {
            assertEquals(Json.read("{\"items\": [], \"total\": 0, \"page\": 1, \"pages\": 0}"), list(prefix, ""));
        }
    }

    @Test
    void pages_hold_30_items_each() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            created.add(create(api, admin.token(), rating("m" + i, 1, null)).get("id").asString());
        }
        for (String prefix : PREFIXES) {
            JsonNode p1 = list(prefix, "");
            assertKeys(p1, "items", "total", "page", "pages");
            assertEquals(30, p1.get("items").size());
            assertEquals(32, p1.get("total").asInt());
            assertEquals(1, p1.get("page").asInt());
            assertEquals(2, p1.get("pages").asInt());
            assertEquals(p1, list(prefix, "?page=1"));
            JsonNode p2 = list(prefix, "?page=2");
            assertEquals(2, p2.get("items").size());
            assertEquals(2, p2.get("page").asInt());
            assertEquals(2, p2.get("pages").asInt());
            assertEquals(32, p2.get("total").asInt());
            Set<String> seen = new HashSet<>(ids(p1.get("items")));
            seen.addAll(ids(p2.get("items")));
            assertEquals(new HashSet<>(created), seen, "the two pages together hold every entry once");
            JsonNode p3 = list(prefix, "?page=3");
            assertEquals(0, p3.get("items").size());
            assertEquals(32, p3.get("total").asInt());
            api.get(prefix + "/feedbacks/list?page=0", admin.token()).expectError(422);
            api.get(prefix + "/feedbacks/list?page=-1", admin.token()).expectError(422);
            api.get(prefix + "/feedbacks/list?page=abc", admin.token()).expectError(422);
        }
        for (int i = 0; i < 28; i++) {
            create(api, admin.token(), rating("n" + i, 1, null));
        }
        assertEquals(2, list("/api/evaluations", "").get("pages").asInt(), "60 entries: exactly 2 pages");
        create(api, admin.token(), rating("last", 1, null));
        assertEquals(3, list("/api/evaluations", "").get("pages").asInt(), "61 entries: 3 pages");
    }

    /**
     * Five entries, one per second, each by a different user, with distinct model ids and ratings (mixed JSON
     * types); e2 and then e0 are updated later, so updated_at order differs from created_at order.
     */
    private List<String> fiveEntries() {
        String[][] rows = {
            {"Dan", "m3"}, {"Ann", "m5"}, {"Eve", "m1"}, {"Ben", "m4"}, {"Cat", "m2"},
        };
        Object[] ratings = {1, "10", -1, 7, "3"};
        List<String> ids = new ArrayList<>();
        List<Api.Account> authors = new ArrayList<>();
        for (String[] row : rows) {
            authors.add(addUser(server, row[0], "user"));
        }
        for (int i = 0; i < rows.length; i++) {
            ids.add(create(api, authors.get(i).token(), rating(rows[i][1], ratings[i], null)).get("id").asString());
            tick();
        }
        clock.advance(Duration.ofSeconds(5));
        api.post("/api/evaluations/feedback/" + ids.get(2), authors.get(2).token(), Map.of("type", "edited")).expect(200);
        tick();
        api.post("/api/evaluations/feedback/" + ids.get(0), authors.get(0).token(), Map.of("type", "edited")).expect(200);
        return ids;
    }

    private static List<String> pick(List<String> ids, int... order) {
        List<String> out = new ArrayList<>();
        for (int i : order) {
            out.add(ids.get(i));
        }
        return out;
    }

    @Test
    void every_order_by_sorts_both_ways() {
        List<String> e = fiveEntries();
        Map<String, List<String>> ascending = Map.of(
                "created_at", pick(e, 0, 1, 2, 3, 4),
                "updated_at", pick(e, 1, 3, 4, 2, 0),
                "username", pick(e, 1, 3, 4, 0, 2),
                "model_id", pick(e, 2, 4, 0, 3, 1),
                "rating", pick(e, 2, 0, 4, 3, 1));
        for (String prefix : PREFIXES) {
            for (var entry : ascending.entrySet()) {
                String q = "?order_by=" + entry.getKey();
                assertEquals(entry.getValue(), ids(list(prefix, q + "&direction=asc").get("items")), entry.getKey() + " asc");
                List<String> descending = new ArrayList<>(entry.getValue()).reversed();
                assertEquals(descending, ids(list(prefix, q + "&direction=desc").get("items")), entry.getKey() + " desc");
                assertEquals(descending, ids(list(prefix, q).get("items")), entry.getKey() + " defaults to desc");
            }
            assertEquals(pick(e, 4, 3, 2, 1, 0), ids(list(prefix, "").get("items")), "default: created_at desc");
            assertEquals(pick(e, 0, 1, 2, 3, 4), ids(list(prefix, "?direction=asc").get("items")));
            api.get(prefix + "/feedbacks/list?order_by=name", admin.token()).expectError(422);
            api.get(prefix + "/feedbacks/list?order_by=id;drop", admin.token()).expectError(422);
            api.get(prefix + "/feedbacks/list?direction=up", admin.token()).expectError(422);
        }
    }

    @Test
    void username_order_follows_a_rename() {
        Api.Account ann = addUser(server, "Ann", "user");
        Api.Account bob = addUser(server, "Bob", "user");
        String byAnn = create(api, ann.token(), rating("m", 1, null)).get("id").asString();
        String byBob = create(api, bob.token(), rating("m", 1, null)).get("id").asString();
        for (String prefix : PREFIXES) {
            assertEquals(List.of(byAnn, byBob), ids(list(prefix, "?order_by=username&direction=asc").get("items")));
        }
        api.post("/api/users/" + ann.id() + "/update", admin.token(), Map.of("name", "Zoe", "password", "")).expect(200);
        for (String prefix : PREFIXES) {
            JsonNode items = list(prefix, "?order_by=username&direction=asc").get("items");
            assertEquals(List.of(byBob, byAnn), ids(items), "renamed author sorts under the new name");
            assertEquals("Zoe", items.get(1).get("user").get("name").asString());
        }
    }

    @Test
    void items_carry_the_author_and_no_snapshot() {
        Api.Account ann = addUser(server, "Ann", "user");
        Map<String, Object> body = rating("m", 1, List.of("n"), "t");
        body.put("snapshot", Map.of("chat", Map.of("title", "x")));
        body.put("meta", Map.of("chat_id", "c"));
        JsonNode f = create(api, ann.token(), body);
        for (String prefix : PREFIXES) {
            JsonNode item = list(prefix, "").get("items").get(0);
            assertKeys(item, "id", "user_id", "version", "type", "data", "meta", "created_at", "updated_at", "user");
            assertFalse(item.has("snapshot"));
            assertEquals(f.get("data"), item.get("data"));
            assertEquals(f.get("meta"), item.get("meta"));
            assertKeys(item.get("user"), "id", "name", "email", "role", "last_active_at", "updated_at", "created_at");
            assertEquals(ann.id(), item.get("user").get("id").asString());
            assertEquals("Ann", item.get("user").get("name").asString());
            assertEquals(ann.email(), item.get("user").get("email").asString());
            assertEquals("user", item.get("user").get("role").asString());
            assertTrue(item.get("user").get("created_at").isIntegralNumber());
        }
    }

    /** f0..f4, one per second from t0: (U1, rating, mx, 1), (U1, rating, mx, "1"), (U2, rating, my, -1), (U2, comparison, mx, "-1"), (U1, comparison, my, 1). */
    private record Filtered(List<String> ids, long t0, Api.Account u1, Api.Account u2) {}

    private Filtered filterData() {
        Api.Account u1 = addUser(server, "One", "user");
        Api.Account u2 = addUser(server, "Two", "user");
        long t0 = clock.instant().getEpochSecond();
        Object[][] rows = {
            {u1, "rating", "mx", 1}, {u1, "rating", "mx", "1"}, {u2, "rating", "my", -1},
            {u2, "comparison", "mx", "-1"}, {u1, "comparison", "my", 1},
        };
        List<String> ids = new ArrayList<>();
        for (Object[] row : rows) {
            Map<String, Object> body = rating((String) row[2], row[3], null);
            body.put("type", row[1]);
            body.put("snapshot", Map.of("chat", Map.of("n", ids.size())));
            ids.add(create(api, ((Api.Account) row[0]).token(), body).get("id").asString());
            tick();
        }
        return new Filtered(ids, t0, u1, u2);
    }

    @Test
    void filters_narrow_the_list_and_combine() {
        Filtered d = filterData();
        List<String> e = d.ids();
        Map<String, List<String>> cases = new java.util.LinkedHashMap<>();
        cases.put("model_id=mx", pick(e, 3, 1, 0));
        cases.put("model_id=my", pick(e, 4, 2));
        cases.put("user_id=" + d.u1().id(), pick(e, 4, 1, 0));
        cases.put("user_id=" + d.u2().id(), pick(e, 3, 2));
        cases.put("type=comparison", pick(e, 4, 3));
        cases.put("rating=1", pick(e, 4, 1, 0));
        cases.put("rating=-1", pick(e, 3, 2));
        cases.put("from=" + (d.t0() + 1) + "&to=" + (d.t0() + 3), pick(e, 3, 2, 1));
        cases.put("from=" + (d.t0() + 4), pick(e, 4));
        cases.put("to=" + d.t0(), pick(e, 0));
        cases.put("model_id=mx&rating=1&user_id=" + d.u1().id(), pick(e, 1, 0));
        cases.put("model_id=mx&type=comparison&from=" + (d.t0() + 3), pick(e, 3));
        cases.put("type=rating&rating=-1&order_by=created_at&direction=asc", pick(e, 2));
        cases.put("rating=1&direction=asc", pick(e, 0, 1, 4));
        cases.put("model_id=nope", List.of());
        cases.put("rating=5", List.of());
        for (String prefix : PREFIXES) {
            for (var c : cases.entrySet()) {
                JsonNode page = list(prefix, "?" + c.getKey());
                assertEquals(c.getValue(), ids(page.get("items")), c.getKey());
                assertEquals(c.getValue().size(), page.get("total").asInt(), c.getKey());
                assertEquals(c.getValue().isEmpty() ? 0 : 1, page.get("pages").asInt(), c.getKey());
            }
            api.get(prefix + "/feedbacks/list?from=yesterday", admin.token()).expectError(422);
            api.get(prefix + "/feedbacks/list?to=1.5", admin.token()).expectError(422);
        }
    }

    @Test
    void export_and_all_take_the_same_filters() {
        Filtered d = filterData();
        List<String> e = d.ids();
        for (String prefix : PREFIXES) {
            Api.Res jsonl = api.get(prefix + "/feedbacks/all/export?model_id=mx&format=jsonl", admin.token()).expect(200);
            List<JsonNode> rows = jsonl.body().lines().filter(l -> !l.isBlank()).map(Json::read).toList();
            assertEquals(pick(e, 3, 1, 0), ids(rows));
            for (JsonNode row : rows) {
                assertEquals("mx", row.get("data").get("model_id").asString());
                assertTrue(row.get("snapshot").isObject(), "export keeps snapshots");
            }
            JsonNode json = api.get(prefix + "/feedbacks/all/export?rating=-1&user_id=" + d.u2().id(), admin.token())
                    .expect(200).json();
            assertEquals(pick(e, 3, 2), ids(json));
            List<List<String>> csv = FeedbackFixtures.parseCsv(api.get(prefix + "/feedbacks/all/export?format=csv&type=comparison",
                    admin.token()).expect(200).body());
            assertEquals(3, csv.size(), "header and two rows");
            assertEquals(Set.of(e.get(3), e.get(4)), Set.of(csv.get(1).get(0), csv.get(2).get(0)));
            JsonNode all = api.get(prefix + "/feedbacks/all?from=" + (d.t0() + 3), admin.token()).expect(200).json();
            assertEquals(pick(e, 4, 3), ids(all));
            JsonNode none = api.get(prefix + "/feedbacks/all/export?model_id=nope", admin.token()).expect(200).json();
            assertTrue(none.isArray() && none.isEmpty());
            api.get(prefix + "/feedbacks/all/export?from=x&format=jsonl", admin.token()).expectError(422);
        }
    }
}
