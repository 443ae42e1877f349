package verity.settings;

import java.time.Clock;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import verity.db.Database;
import verity.http.Json;

/**
 * Settings changed at run time by admins and kept across restarts (Open WebUI's PersistentConfig): the
 * environment gives the initial value, a saved value wins afterwards.
 */
public final class Settings {
    private final Database db;
    private final Clock clock;

    public Settings(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Optional<JsonNode> get(String key) {
        return db.one("SELECT value FROM app_config WHERE config_key = ?", rs -> Json.read(rs.getString(1)), key);
    }

    public JsonNode getOr(String key, JsonNode initial) {
        return get(key).orElse(initial);
    }

    public void put(String key, JsonNode value) {
        db.update("INSERT INTO app_config (config_key, value, updated_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (config_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                key, Json.write(value), clock.instant().getEpochSecond());
    }
}
