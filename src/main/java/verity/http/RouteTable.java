package verity.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every route of the application, registered on every path it answers. Paths are registered without a
 * trailing slash (Javalin ignores trailing slashes, so both forms match) and literal segments win over
 * parameters ({@code /users/api_keys} before {@code /users/{user_id}}).
 */
public final class RouteTable {
    /** One registered (method, path) pair. */
    public record Entry(HandlerType method, String path, Route route) {}

    private final List<Route> routes;

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public List<Route> routes() {
        return routes;
    }

    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (Route r : routes) {
            for (String path : r.paths()) {
                entries.add(new Entry(r.method(), normalize(path), r));
            }
        }
        entries.sort(Comparator.comparing(Entry::path, RouteTable::bySpecificity));
        return entries;
    }

    public void register(JavalinConfig config) {
        for (Entry e : entries()) {
            config.routes.addEndpoint(Endpoint.create(e.method(), e.path()).addMetadata(e.route()).handler(e.route().handler()));
        }
    }

    public static String normalize(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** A total order: segment by segment, a literal sorts before a parameter (so it wins when both match). */
    private static int bySpecificity(String a, String b) {
        return shape(a).compareTo(shape(b));
    }

    private static String shape(String path) {
        StringBuilder sb = new StringBuilder();
        for (String segment : path.split("/")) {
            sb.append(segment.startsWith("{") ? '1' : '0');
        }
        return sb.toString();
    }
}
