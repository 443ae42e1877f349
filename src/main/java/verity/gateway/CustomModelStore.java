package verity.gateway;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import verity.db.Database;

/** SQL for custom models. */
final class CustomModelStore {
    private static final String COLUMNS = "id, user_id, base_model_id, name, params, meta, is_active, updated_at, created_at";
    private final Database db;

    CustomModelStore(Database db) {
        this.db = db;
    }

    private static CustomModel map(ResultSet rs) throws SQLException {
        return new CustomModel(rs.getString("id"), rs.getString("user_id"), rs.getString("base_model_id"),
                rs.getString("name"), rs.getString("params"), rs.getString("meta"), rs.getBoolean("is_active"),
                rs.getLong("updated_at"), rs.getLong("created_at"));
    }

    List<CustomModel> all() {
        return db.query("SELECT " + COLUMNS + " FROM models ORDER BY created_at, id", CustomModelStore::map);
    }

    Optional<CustomModel> find(String id) {
        return db.one("SELECT " + COLUMNS + " FROM models WHERE id = ?", CustomModelStore::map, id);
    }

    void insert(CustomModel m) {
        db.update("INSERT INTO models (id, user_id, base_model_id, name, params, meta, is_active, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", m.id(), m.userId(), m.baseModelId(), m.name(), m.params(),
                m.meta(), m.isActive(), m.createdAt(), m.updatedAt());
    }

    void update(CustomModel m) {
        db.update("UPDATE models SET base_model_id = ?, name = ?, params = ?, meta = ?, is_active = ?, updated_at = ? WHERE id = ?",
                m.baseModelId(), m.name(), m.params(), m.meta(), m.isActive(), m.updatedAt(), m.id());
    }

    boolean delete(String id) {
        return db.update("DELETE FROM models WHERE id = ?", id) > 0;
    }
}
