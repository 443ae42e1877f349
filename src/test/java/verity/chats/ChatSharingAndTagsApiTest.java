package verity.chats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.chats.ChatFixtures.PREFIXES;
import static verity.chats.ChatFixtures.chat;
import static verity.chats.ChatFixtures.createId;
import static verity.chats.ChatFixtures.ids;
import static verity.chats.ChatFixtures.send;
import static verity.chats.ChatFixtures.update;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.http.Json;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

/** Chats: shared snapshots, tags and search. */
@ParameterizedClass
@EnumSource(Db.class)
class ChatSharingAndTagsApiTest {
    @Parameter
    Db db;

    TestServer server;
    Api api;

    @BeforeEach
    void setUp() {
        server = TestServer.shared(db);
        api = server.api;
    }

    @Test
    void sharing_gives_a_snapshot_that_other_users_can_read() {
        Api.Account owner = server.newUser("user");
        Api.Account reader = server.newUser("user");
        for (String prefix : PREFIXES) {
            String id = createId(api, owner.token(), "Shared plan", "version one");
            Api.Res shared = api.post(prefix + "/" + id + "/share", owner.token(), null).expect(200);
            String shareId = shared.json().get("share_id").asString();
            assertFalse(shareId.isBlank());
            assertTrue(shared.json().get("url").asString().startsWith("http"), shared.body());
            assertTrue(shared.json().get("url").asString().endsWith("/s/" + shareId), shared.body());
            assertEquals(id, shared.json().get("id").asString());
            assertEquals("Shared plan", shared.json().get("title").asString());
            assertEquals(owner.id(), shared.json().get("user_id").asString());
            assertEquals(Json.read(chat("Shared plan", "version one")), shared.json().get("chat"));
            assertEquals(shareId, api.get("/api/chats/" + id, owner.token()).json().get("share_id").asString());

            for (String path : List.of(prefix + "/share/" + shareId, prefix + "/share/" + shareId + "/")) {
                Api.Res snapshot = api.get(path, reader.token()).expect(200);
                assertEquals("Shared plan", snapshot.json().get("title").asString());
                assertEquals("version one", snapshot.json().get("chat").get("messages").get(0).get("content").asString());
            }
            api.get(prefix + "/share/" + shareId, owner.token()).expect(200);
            api.get(prefix + "/share/" + shareId, server.newUser("pending").token()).expectError(403);
            api.get(prefix + "/share/" + shareId, null).expectError(401);
            api.get(prefix + "/share/no-such-share", reader.token()).expectError(404);
        }
    }

    @Test
    void the_snapshot_changes_only_when_shared_again_and_unsharing_removes_it() {
        Api.Account owner = server.newUser("user");
        Api.Account reader = server.newUser("user");
        String id = createId(api, owner.token(), "Draft", "first words");
        String shareId = api.post("/api/v1/chats/" + id + "/share/", owner.token(), null).expect(200).json().get("share_id").asString();

        update(api, owner.token(), id, chat("Final", "second words")).expect(200);
        JsonNode stale = api.get("/api/chats/share/" + shareId, reader.token()).expect(200).json();
        assertEquals("Draft", stale.get("title").asString(), "an update does not touch the snapshot");
        assertEquals("first words", stale.get("chat").get("messages").get(0).get("content").asString());

        Api.Res again = api.post("/api/chats/" + id + "/share", owner.token(), null).expect(200);
        assertEquals(shareId, again.json().get("share_id").asString(), "sharing again keeps the share id");
        JsonNode fresh = api.get("/api/v1/chats/share/" + shareId, reader.token()).expect(200).json();
        assertEquals("Final", fresh.get("title").asString());
        assertEquals("second words", fresh.get("chat").get("messages").get(0).get("content").asString());

        Api.Res unshared = api.delete("/api/chats/" + id + "/share", owner.token()).expect(200);
        assertTrue(unshared.json().asBoolean(), unshared.body());
        api.get("/api/chats/share/" + shareId, reader.token()).expectError(404);
        assertTrue(api.get("/api/chats/" + id, owner.token()).json().get("share_id").isNull());
        api.delete("/api/v1/chats/" + id + "/share/", owner.token()).expect(200);

        String newShareId = api.post("/api/chats/" + id + "/share", owner.token(), null).expect(200).json().get("share_id").asString();
        assertNotEquals(shareId, newShareId);
        api.get("/api/chats/share/" + newShareId, reader.token()).expect(200);
        api.get("/api/chats/share/" + shareId, reader.token()).expectError(404);
        api.delete("/api/chats/" + id, owner.token()).expect(200);
        api.get("/api/chats/share/" + newShareId, reader.token()).expectError(404);
    }

    @Test
    void only_the_owner_shares_and_unshares() {
        Api.Account owner = server.newUser("user");
        Api.Account other = server.newUser("user");
        String id = createId(api, owner.token(), "Mine", "x");
        for (String prefix : PREFIXES) {
            api.post(prefix + "/" + id + "/share", other.token(), null).expectError(404);
            api.post(prefix + "/" + id + "/share", server.admin().token(), null).expectError(404);
        }
        assertTrue(api.get("/api/chats/" + id, owner.token()).json().get("share_id").isNull());
        String shareId = api.post("/api/chats/" + id + "/share", owner.token(), null).expect(200).json().get("share_id").asString();
        for (String prefix : PREFIXES) {
            api.delete(prefix + "/" + id + "/share", other.token()).expectError(404);
        }
        api.get("/api/chats/share/" + shareId, other.token()).expect(200);
        api.post("/api/chats/no-such-chat/share", owner.token(), null).expectError(404);
        api.delete("/api/chats/no-such-chat/share", owner.token()).expectError(404);
        api.post("/api/chats/" + id + "/share", server.newUser("pending").token(), null).expectError(403);
    }

    @Test
    void tags_are_added_once_listed_and_removed_by_name() {
        Api.Account user = server.newUser("user");
        for (String prefix : PREFIXES) {
            String id = createId(api, user.token(), "Tagged", "x");
            JsonNode tags = api.post(prefix + "/" + id + "/tags", user.token(), Map.of("name", "Work Stuff")).expect(200).json();
            assertEquals(1, tags.size());
            assertEquals("work_stuff", tags.get(0).get("id").asString());
            assertEquals("Work Stuff", tags.get(0).get("name").asString());
            assertEquals(user.id(), tags.get(0).get("user_id").asString());
            assertEquals(1, api.post(prefix + "/" + id + "/tags/", user.token(), Map.of("name", "Work Stuff")).expect(200).json().size());
            assertEquals(1, api.post(prefix + "/" + id + "/tags", user.token(), Map.of("name", " work stuff ")).expect(200).json().size());
            JsonNode two = api.post(prefix + "/" + id + "/tags", user.token(), Map.of("name", "Urgent")).expect(200).json();
            assertEquals(Set.of("work_stuff", "urgent"), Set.copyOf(ids(two)));

            assertEquals(Set.of("work_stuff", "urgent"), Set.copyOf(ids(api.get(prefix + "/" + id + "/tags", user.token()).expect(200).json())));
            assertEquals(Set.of("work_stuff", "urgent"), tagIdsOf(api.get(prefix + "/" + id, user.token()).json()));

            JsonNode left = send(api, "DELETE", prefix + "/" + id + "/tags", user.token(), Map.of("name", "work stuff")).expect(200).json();
            assertEquals(List.of("urgent"), ids(left));
            assertEquals(List.of("urgent"), ids(api.get(prefix + "/" + id + "/tags/", user.token()).json()));
            assertEquals(Set.of("urgent"), tagIdsOf(api.get(prefix + "/" + id, user.token()).json()));
            send(api, "DELETE", prefix + "/" + id + "/tags/", user.token(), Map.of("name", "not there")).expect(200);
        }
    }

    @Test
    void all_tags_lists_own_tags_once_each() {
        Api.Account user = server.newUser("user");
        Api.Account other = server.newUser("user");
        String a = createId(api, user.token(), "A", "x");
        String b = createId(api, user.token(), "B", "x");
        String c = createId(api, other.token(), "C", "x");
        api.post("/api/chats/" + a + "/tags", user.token(), Map.of("name", "Work Stuff")).expect(200);
        api.post("/api/chats/" + b + "/tags", user.token(), Map.of("name", "work stuff")).expect(200);
        api.post("/api/chats/" + b + "/tags", user.token(), Map.of("name", "Home")).expect(200);
        api.post("/api/chats/" + c + "/tags", other.token(), Map.of("name", "Secret")).expect(200);
        for (String prefix : PREFIXES) {
            List<String> tags = ids(api.get(prefix + "/all/tags", user.token()).expect(200).json());
            assertEquals(List.of("home", "work_stuff"), tags.stream().sorted().toList());
            assertEquals(List.of("secret"), ids(api.get(prefix + "/all/tags/", other.token()).expect(200).json()));
        }
        assertEquals(0, api.get("/api/chats/all/tags", server.newUser("user").token()).expect(200).json().size());
    }

    @Test
    void tag_requests_are_validated_and_other_users_chats_are_404() {
        Api.Account owner = server.newUser("user");
        Api.Account other = server.newUser("user");
        String id = createId(api, owner.token(), "Tags", "x");
        api.post("/api/chats/" + id + "/tags", owner.token(), Map.of("name", "Keep")).expect(200);
        String path = "/api/chats/" + id + "/tags";
        for (Object body : List.of(Map.of(), Map.of("name", ""), Map.of("name", "   "), Map.of("name", 5), "", "[]")) {
            api.postRaw(path, owner.token(), body instanceof String s ? s : Json.write(body)).expectError(422);
            send(api, "DELETE", path, owner.token(), body).expectError(422);
        }
        api.postRaw(path, owner.token(), "{\"name\":").expectError(400);
        api.post(path, owner.token(), Map.of("name", "x".repeat(256))).expectError(422);
        for (String prefix : PREFIXES) {
            api.post(prefix + "/" + id + "/tags", other.token(), Map.of("name", "Mine now")).expectError(404);
            api.get(prefix + "/" + id + "/tags", other.token()).expectError(404);
            send(api, "DELETE", prefix + "/" + id + "/tags", other.token(), Map.of("name", "Keep")).expectError(404);
            api.post(prefix + "/no-such-chat/tags", owner.token(), Map.of("name", "x")).expectError(404);
        }
        api.post(path, server.admin().token(), Map.of("name", "By admin")).expectError(404);
        assertEquals(List.of("keep"), ids(api.get(path, server.admin().token()).expect(200).json()), "admins may read any chat");
        assertEquals(List.of("keep"), ids(api.get(path, owner.token()).json()));
        assertEquals(0, api.get("/api/chats/all/tags", other.token()).json().size());
        api.post(path, null, Map.of("name", "x")).expectError(401);
    }

    @Test
    void search_matches_every_word_in_titles_or_content_case_insensitively() {
        Api.Account user = server.newUser("user");
        Api.Account other = server.newUser("user");
        String budget = createId(api, user.token(), "Quarterly Budget Review", "numbers look fine");
        String holiday = createId(api, user.token(), "Holiday plans", "Book the FLIGHT to Lisbon");
        createId(api, other.token(), "Quarterly Budget Review", "Book the flight to Lisbon");
        for (String prefix : PREFIXES) {
            assertEquals(List.of(budget), search(prefix, user, "budget"));
            assertEquals(List.of(budget), search(prefix, user, "BUDGET review"));
            assertEquals(List.of(holiday), search(prefix, user, "flight lisbon"));
            assertEquals(List.of(holiday), search(prefix, user, "  Lisbon   book "));
            assertEquals(List.of(), search(prefix, user, "flight budget"), "every word must match");
            assertEquals(List.of(), search(prefix, user, "nowhere"));
            assertEquals(Set.of(budget, holiday), Set.copyOf(search(prefix, user, "")));
            assertEquals(Set.of(budget, holiday), Set.copyOf(ids(api.get(prefix + "/search", user.token()).expect(200).json())));
        }
        for (JsonNode item : api.get("/api/chats/search?text=budget", user.token()).json()) {
            assertFalse(item.has("chat"), "search results are summaries");
        }
        api.get("/api/chats/search?text=x", null).expectError(401);
        api.get("/api/chats/search?text=x", server.newUser("pending").token()).expectError(403);
        api.get("/api/chats/search?text=x&page=0", user.token()).expectError(422);
    }

    @Test
    void search_understands_tag_and_archived_tokens() {
        Api.Account user = server.newUser("user");
        Api.Account other = server.newUser("user");
        String budget = createId(api, user.token(), "Budget", "spreadsheet");
        String holiday = createId(api, user.token(), "Holiday", "spreadsheet of flights");
        String plain = createId(api, user.token(), "Plain", "spreadsheet");
        String others = createId(api, other.token(), "Budget", "spreadsheet");
        api.post("/api/chats/" + budget + "/tags", user.token(), Map.of("name", "Work Stuff")).expect(200);
        api.post("/api/chats/" + holiday + "/tags", user.token(), Map.of("name", "Work Stuff")).expect(200);
        api.post("/api/chats/" + others + "/tags", other.token(), Map.of("name", "Work Stuff")).expect(200);

        assertEquals(Set.of(budget, holiday), Set.copyOf(search("/api/chats", user, "tag:work_stuff")));
        assertEquals(Set.of(budget, holiday), Set.copyOf(search("/api/v1/chats", user, "TAG:Work_Stuff")));
        assertEquals(List.of(budget), search("/api/chats", user, "tag:work_stuff budget"));
        assertEquals(List.of(), search("/api/chats", user, "tag:nothing"));
        assertEquals(Set.of(budget, holiday, plain), Set.copyOf(search("/api/chats", user, "spreadsheet")));

        api.post("/api/chats/" + holiday + "/archive", user.token(), null).expect(200);
        assertEquals(List.of(), search("/api/chats", user, "flights"), "archived chats are not searched by default");
        assertEquals(List.of(holiday), search("/api/chats", user, "flights archived:true"));
        assertEquals(List.of(holiday), search("/api/v1/chats", user, "archived:true"));
        assertEquals(List.of(holiday), search("/api/chats", user, "archived:true tag:work_stuff"));
        assertEquals(Set.of(budget, plain), Set.copyOf(search("/api/chats", user, "spreadsheet")));
    }

    @Test
    void search_treats_percent_and_underscore_literally() {
        Api.Account user = server.newUser("user");
        String percent = createId(api, user.token(), "Discount", "50% off everything");
        createId(api, user.token(), "Bigger discount", "500 off everything");
        String underscore = createId(api, user.token(), "Names", "use snake_case here");
        createId(api, user.token(), "Other names", "use snakeXcase here");
        createId(api, user.token(), "Back", "a\\b slash");
        assertEquals(List.of(percent), search("/api/chats", user, "50%"));
        assertEquals(List.of(percent), search("/api/chats", user, "%"));
        assertEquals(List.of(underscore), search("/api/chats", user, "snake_case"));
        assertEquals(Set.of(percent), Set.copyOf(search("/api/chats", user, "discount 50%")));
        assertEquals(List.of(), search("/api/chats", user, "5_0"));
    }

    private List<String> search(String prefix, Api.Account user, String text) {
        String query = java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
        return ids(api.get(prefix + "/search?text=" + query, user.token()).expect(200).json());
    }

    private static Set<String> tagIdsOf(JsonNode chat) {
        List<String> tags = new ArrayList<>();
        chat.get("meta").get("tags").forEach(t -> tags.add(t.asString()));
        return Set.copyOf(tags);
    }
}
