import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times SQL statements through the server's own JDBC driver (sqlite-jdbc or pgjdbc from the jar), to separate
 * database time from the rest of a request. Prints the median wall time of each statement (all rows fetched)
 * and its query plan (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN).
 *
 *   java -cp /tmp/bench/verity.jar bench/SqlTime.java <jdbc-url> <iterations> <sql> [<sql> ...]
 */
public class SqlTime {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int iterations = Integer.parseInt(args[1]);
        boolean sqlite = url.startsWith("jdbc:sqlite:");
        try (Connection c = DriverManager.getConnection(url)) {
            for (int a = 2; a < args.length; a++) {
                String sql = args[a];
                List<Double> times = new ArrayList<>();
                long rows = 0;
                for (int i = 0; i < iterations + 1; i++) {
                    long t0 = System.nanoTime();
                    rows = 0;
                    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                        int cols = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int k = 1; k <= cols; k++) {
                                rs.getString(k);
                            }
                            rows++;
                        }
                    }
                    if (i > 0) { // the first run warms the page cache and the JIT
                        times.add((System.nanoTime() - t0) / 1e6);
                    }
                }
                Collections.sort(times);
                StringBuilder plan = new StringBuilder();
                try (PreparedStatement ps = c.prepareStatement((sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql);
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(" | ").append(rs.getString(sqlite ? 4 : 1).trim());
                    }
                }
                System.out.printf("SQL %8.2f ms median of %d, %d rows: %s%n    plan%s%n", times.get(times.size() / 2),
                        iterations, rows, sql, plan);
            }
        }
    }
}
