package verity.http;

import java.util.Locale;
import java.util.stream.Collectors;

/** The route table of docs/API.md, generated from the same routes the server registers. */
public final class RouteDocs {
    public static final String BEGIN = "<!-- routes:begin (generated from the route table; see RouteTableTest) -->";
    public static final String END = "<!-- routes:end -->";

    private RouteDocs() {}

    public static String markdown(RouteTable table) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Method | Seed path | Open WebUI path (aliases) | Access | What it does |\n");
        sb.append("|---|---|---|---|---|\n");
        for (Route r : table.routes()) {
            String aliases = r.paths().stream().skip(1).map(p -> "`" + p + "`").collect(Collectors.joining(", "));
            sb.append("| ").append(r.method().name())
                    .append(" | `").append(r.seedPath()).append('`')
                    .append(" | ").append(aliases.isEmpty() ? "–" : aliases)
                    .append(" | ").append(r.access().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .append(" | ").append(r.summary().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }
}
