package verity.db;

import java.sql.SQLException;

/** An unexpected database failure. A unique-key violation is reported through {@link #isUniqueViolation()}. */
public final class DataAccessException extends RuntimeException {
    public DataAccessException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public boolean isUniqueViolation() {
        SQLException e = (SQLException) getCause();
        // PostgreSQL: SQLSTATE 23505. SQLite: extended code SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY (2067/1555).
        return "23505".equals(e.getSQLState())
                || e.getErrorCode() == 2067 || e.getErrorCode() == 1555
                || (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed"));
    }
}
