package verity.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * DATABASE_URL in Open WebUI's (SQLAlchemy) form, turned into a JDBC URL and credentials.
 * Accepts sqlite:///relative.db, sqlite:////absolute.db, postgres://, postgresql:// and postgresql+driver://.
 */
public record DatabaseUrl(Kind kind, String jdbcUrl, String user, String password) {
    public enum Kind { SQLITE, POSTGRES }

    public static DatabaseUrl sqlite(Path file) {
        return new DatabaseUrl(Kind.SQLITE, "jdbc:sqlite:" + file, null, null);
    }

    public static DatabaseUrl parse(String variable, String url) {
        if (url.startsWith("sqlite:///")) {
            String path = url.substring("sqlite:///".length());
            if (path.isEmpty()) {
                throw new ConfigException(variable, "sqlite URL needs a file path, e.g. sqlite:///data/webui.db");
            }
            return sqlite(Path.of(path).toAbsolutePath().normalize());
        }
        String scheme = url.contains("://") ? url.substring(0, url.indexOf("://")) : "";
        if (!scheme.equals("postgres") && !scheme.equals("postgresql") && !scheme.startsWith("postgresql+")) {
            throw new ConfigException(variable, "expected sqlite:///path or postgresql://user:pass@host:port/db");
        }
        try {
            URI uri = new URI("postgresql" + url.substring(scheme.length()));
            if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
                throw new ConfigException(variable, "expected postgresql://user:pass@host:port/db");
            }
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = decode(parts[0]);
                password = parts.length > 1 ? decode(parts[1]) : null;
            }
            String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
            return new DatabaseUrl(Kind.POSTGRES, jdbc, user, password);
        } catch (URISyntaxException e) {
            throw new ConfigException(variable, "not a valid URL (" + e.getReason() + ")");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return jdbcUrl + (user != null ? " as " + user : "");
    }
}
