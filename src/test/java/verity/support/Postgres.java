package verity.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import verity.config.DatabaseUrl;

/**
 * The PostgreSQL server for tests: VERITY_TEST_POSTGRES_URL, else a local server on 127.0.0.1:5432 if one
 * answers. Each test server gets a throwaway database of its own.
 */
public final class Postgres {
    private static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
    private static volatile Optional<DatabaseUrl> admin;

    private Postgres() {}

    public static synchronized Optional<DatabaseUrl> admin() {
        if (admin == null) {
            String url = System.getenv().getOrDefault("VERITY_TEST_POSTGRES_URL", DEFAULT_URL);
            DatabaseUrl parsed = DatabaseUrl.parse("VERITY_TEST_POSTGRES_URL", url);
            admin = reachable(parsed) ? Optional.of(parsed) : Optional.empty();
        }
        return admin;
    }

    public static boolean available() {
        return admin().isPresent();
    }

    private static boolean reachable(DatabaseUrl url) {
        DriverManager.setLoginTimeout(2);
        try (Connection c = connect(url.jdbcUrl(), url)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static Connection connect(String jdbcUrl, DatabaseUrl url) throws SQLException {
        Properties p = new Properties();
        if (url.user() != null) {
            p.setProperty("user", url.user());
        }
        if (url.password() != null) {
            p.setProperty("password", url.password());
        }
        p.setProperty("connectTimeout", "2");
        return DriverManager.getConnection(jdbcUrl, p);
    }

    /** Creates an empty database and returns its DATABASE_URL in Open WebUI's form. */
    public static String createDatabase() {
        DatabaseUrl url = admin().orElseThrow();
        String name = "verity_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = connect(url.jdbcUrl(), url); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database", e);
        }
        String hostAndPort = url.jdbcUrl().substring("jdbc:postgresql://".length());
        hostAndPort = hostAndPort.substring(0, hostAndPort.indexOf('/'));
        String credentials = url.user() == null ? "" : url.user() + (url.password() == null ? "" : ":" + url.password()) + "@";
        return "postgresql://" + credentials + hostAndPort + "/" + name;
    }

    public static void dropDatabase(String databaseUrl) {
        DatabaseUrl url = admin().orElseThrow();
        String name = databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1);
        try (Connection c = connect(url.jdbcUrl(), url); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            // a leftover test database is harmless
        }
    }
}
