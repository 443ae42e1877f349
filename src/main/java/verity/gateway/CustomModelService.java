package verity.gateway;

import java.time.Clock;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;
import verity.db.DataAccessException;
import verity.db.Database;
import verity.http.ApiException;
import verity.http.Json;
import verity.users.User;

/** Custom models: ids are unique across custom models; changes refresh the catalog at once. */
public final class CustomModelService {
    private final CustomModelStore store;
    private final Clock clock;

    public CustomModelService(Database db, Clock clock) {
        this.store = new CustomModelStore(db);
        this.clock = clock;
    }

    CustomModelStore store() {
        return store;
    }

    public record Form(String id, String baseModelId, String name, ObjectNode params, ObjectNode meta, Boolean isActive) {}

    public CustomModel create(User owner, Form f) {
        long now = clock.instant().getEpochSecond();
        CustomModel m = new CustomModel(f.id(), owner.id(), f.baseModelId(), f.name(),
                Json.write(f.params() == null ? Json.object() : f.params()),
                Json.write(f.meta() == null ? Json.object() : f.meta()), f.isActive() == null || f.isActive(), now, now);
        try {
            store.insert(m);
        } catch (DataAccessException e) {
            if (e.isUniqueViolation()) {
                throw ApiException.badRequest("A model with the id '" + f.id() + "' already exists.");
            }
            throw e;
        }
        return m;
    }

    public CustomModel get(String id) {
        return store.find(id).orElseThrow(() -> ApiException.notFound("Model not found: " + id));
    }

    public List<CustomModel> all() {
        return store.all();
    }

    public CustomModel update(Form f) {
        CustomModel old = get(f.id());
        CustomModel m = new CustomModel(old.id(), old.userId(), f.baseModelId() != null ? f.baseModelId() : old.baseModelId(),
                f.name() != null ? f.name() : old.name(), f.params() != null ? Json.write(f.params()) : old.params(),
                f.meta() != null ? Json.write(f.meta()) : old.meta(), f.isActive() != null ? f.isActive() : old.isActive(),
                clock.instant().getEpochSecond(), old.createdAt());
        store.update(m);
        return m;
    }

    public CustomModel toggle(String id) {
        CustomModel old = get(id);
        return update(new Form(id, null, null, null, null, !old.isActive()));
    }

    public boolean delete(String id) {
        get(id);
        return store.delete(id);
    }
}
