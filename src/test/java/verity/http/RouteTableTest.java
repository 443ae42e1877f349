package verity.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

/** The route table is the single source of the handlers, /openapi.json, docs/API.md and access rules. */
class RouteTableTest {
    private static final Path API_MD = Path.of("docs/API.md");

    private final TestServer server = TestServer.shared(Db.SQLITE);
    private final RouteTable table = server.app().routes();

    @Test
    void every_registered_route_is_in_openapi_json() {
        JsonNode paths = server.api.get("/openapi.json", null).expect(200).json().get("paths");
        List<String> missing = new ArrayList<>();
        for (RouteTable.Entry e : table.entries()) {
            JsonNode item = paths.get(e.path());
            if (item == null || !item.has(e.method().name().toLowerCase(Locale.ROOT))) {
                missing.add(e.method() + " " + e.path());
            }
        }
        assertTrue(missing.isEmpty(), "missing from /openapi.json: " + missing);
    }

    @Test
    void every_seed_path_under_api_has_its_api_v1_alias() {
        for (Route r : table.routes()) {
            String seed = r.seedPath();
            if (seed.startsWith("/api/") && !seed.startsWith("/api/v1/") && !seed.equals("/api/version") && !seed.equals("/api/config")) {
                String v1 = "/api/v1/" + seed.substring("/api/".length());
                assertTrue(r.paths().contains(v1), r.method() + " " + seed + " has no alias " + v1);
            }
        }
    }

    @Test
    void no_method_and_path_is_registered_twice() {
        Set<String> seen = new HashSet<>();
        for (RouteTable.Entry e : table.entries()) {
            assertTrue(seen.add(e.method() + " " + e.path()), "duplicate route " + e.method() + " " + e.path());
        }
    }

    @Test
    void docs_api_md_lists_every_route() throws IOException {
        String generated = RouteDocs.markdown(table);
        String doc = Files.readString(API_MD);
        int begin = doc.indexOf(RouteDocs.BEGIN);
        int end = doc.indexOf(RouteDocs.END);
        assertTrue(begin >= 0 && end > begin, "docs/API.md needs the route table markers");
        String current = doc.substring(begin + RouteDocs.BEGIN.length(), end).strip() + "\n";
        if (Boolean.getBoolean("writeDocs")) {
            Files.writeString(API_MD, doc.substring(0, begin + RouteDocs.BEGIN.length()) + "\n" + generated + doc.substring(end));
            return;
        }
        assertEquals(generated, current, "docs/API.md is out of date: run ./verity test -Dtest=RouteTableTest -DwriteDocs=true");
    }

    /** The access level on every route is enforced: no token → 401, pending → 403 on user routes, user → 403 on admin routes. */
    @Test
    void every_route_enforces_its_access_level() {
        Api api = server.api;
        Api.Account pending = server.newUser("pending");
        Api.Account user = server.newUser("user");
        for (RouteTable.Entry e : table.entries()) {
            Access access = e.route().access();
            if (access == Access.PUBLIC || access == Access.OPTIONAL) {
                continue;
            }
            String path = e.path().replaceAll("\\{[^}]+}", "00000000-0000-4000-8000-000000000000");
            String method = e.method().name();
            assertEquals(401, api.send(method, path, java.util.Map.of(), "{}").status(), "anonymous " + method + " " + path);
            if (access == Access.USER || access == Access.ADMIN) {
                assertEquals(403, api.send(method, path, bearer(pending), "{}").status(), "pending " + method + " " + path);
            }
            if (access == Access.ADMIN) {
                assertEquals(403, api.send(method, path, bearer(user), "{}").status(), "user " + method + " " + path);
            }
        }
    }

    private static java.util.Map<String, String> bearer(Api.Account a) {
        return java.util.Map.of("Authorization", "Bearer " + a.token(), "Content-Type", "application/json");
    }
}
