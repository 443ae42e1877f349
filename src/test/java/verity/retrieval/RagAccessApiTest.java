package verity.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import verity.http.RouteTable;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

/** Every files, knowledge and retrieval route: no credentials → 401, a pending account → 403, on every path. */
class RagAccessApiTest {
    private static final Set<String> TAGS = Set.of("files", "knowledge", "retrieval");

    @Test
    void every_route_needs_a_verified_account() {
        TestServer server = TestServer.shared(Db.SQLITE);
        Api.Account pending = server.newUser("pending");
        int checked = 0;
        for (RouteTable.Entry e : server.app().routes().entries()) {
            if (!TAGS.contains(e.route().tag())) {
                continue;
            }
            String path = e.path().replaceAll("\\{[^}]+}", "00000000-0000-4000-8000-000000000000");
            String method = e.method().name();
            String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
            Map<String, String> json = Map.of("Content-Type", "application/json");
            assertEquals(401, server.api.send(method, path, json, body).status(), method + " " + path + " without a token");
            assertEquals(403, server.api.send(method, path, Map.of("Content-Type", "application/json",
                    "Authorization", "Bearer " + pending.token()), body).status(), method + " " + path + " as a pending account");
            checked++;
        }
        assertTrue(checked >= 30, "only " + checked + " route paths checked");
    }
}
