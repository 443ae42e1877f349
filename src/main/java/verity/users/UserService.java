package verity.users;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;
import verity.auth.Passwords;
import verity.db.DataAccessException;
import verity.db.Database;
import verity.http.ApiException;
import verity.http.Json;

/**
 * Account rules: the first account is the primary admin, later ones get the default role; emails are unique
 * and lower-cased; the primary admin cannot be demoted, changed by others or deleted; nobody deletes themself.
 */
public final class UserService {
    public static final List<String> ROLES = List.of("pending", "user", "admin");

    private final UserStore store;
    private final Database db;
    private final Passwords passwords;
    private final Clock clock;
    private final String defaultRole;
    private final List<Runnable> changeListeners = new ArrayList<>();
    private final List<java.util.function.Consumer<String>> deleteListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<String>> deletedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public UserService(UserStore store, Database db, Passwords passwords, Clock clock, String defaultRole) {
        this.store = store;
        this.db = db;
        this.passwords = passwords;
        this.clock = clock;
        this.defaultRole = defaultRole;
    }

    /** Called after any change to an account's role, email or existence (credential caches listen). */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /** Called before an account is deleted, for what lives outside the database (stored files, index entries). */
    public void onDelete(java.util.function.Consumer<String> listener) {
        deleteListeners.add(listener);
    }

    /** Called once an account is deleted, with everything it owned (for in-memory copies of that data). */
    public void onDeleted(java.util.function.Consumer<String> listener) {
        deletedListeners.add(listener);
    }

    private void changed() {
        changeListeners.forEach(Runnable::run);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** The new account's data as given by the caller; the email is already normalised and checked. */
    public record NewUser(String name, String email, String password, String profileImageUrl, String role) {}

    /**
     * Creates an account. The very first account becomes the primary admin whatever role was asked.
     * Fails with 400 when the email is taken or the password is over 72 bytes.
     */
    public User create(NewUser form) {
        checkPassword(form.password());
        String hash = passwords.hash(form.password());
        long now = now();
        String image = form.profileImageUrl() == null || form.profileImageUrl().isBlank()
                ? User.DEFAULT_PROFILE_IMAGE : form.profileImageUrl();
        String role = form.role() != null ? form.role() : defaultRole;
        User user = new User(UUID.randomUUID().toString(), form.email(), form.name(), role, image, now, now, now, false);
        if (store.count() == 0) {
            User first = new User(user.id(), user.email(), user.name(), "admin", image, now, now, now, true);
            try {
                store.insert(first, hash);
                return first;
            } catch (DataAccessException e) {
                // Another first sign-up won the primary slot (unique index), or the email is taken: fall through.
                rethrowUnlessUnique(e, form.email());
            }
        }
        try {
            store.insert(user, hash);
            return user;
        } catch (DataAccessException e) {
            rethrowUnlessUnique(e, form.email());
            throw e;
        }
    }

    private void rethrowUnlessUnique(DataAccessException e, String email) {
        if (!e.isUniqueViolation()) {
            throw e;
        }
        if (store.findWithHash(email).isPresent()) {
            throw ApiException.badRequest("This email is already registered. Sign in or use another email.");
        }
    }

    public static void checkPassword(String password) {
        if (password.isEmpty()) {
            throw ApiException.badRequest("Password must not be empty.");
        }
        if (Passwords.tooLong(password)) {
            throw ApiException.badRequest("Password is too long: it must be at most 72 bytes (UTF-8).");
        }
    }

    public boolean hasUsers() {
        return store.count() > 0;
    }

    /** An account with its password hash, by normalised email. */
    public Optional<UserStore.WithHash> findWithHash(String email) {
        return store.findWithHash(email);
    }

    public Optional<User> find(String id) {
        return store.find(id);
    }

    /** An account by id; 404 when absent. */
    public User get(String id) {
        return store.find(id).orElseThrow(() -> ApiException.notFound("User not found"));
    }

    /** One page of accounts and the total count of matches. */
    public record Page(List<User> users, long total) {}

    public Page list(String query, UserQuery.Order order, boolean ascending, int page) {
        String q = query == null || query.isBlank() ? null : query.trim();
        long offset = (page - 1L) * UserQuery.PAGE_SIZE;
        return new Page(store.page(q, order, ascending, UserQuery.PAGE_SIZE, offset), store.countMatching(q));
    }

    /** Changes to an account made by an admin; null fields stay as they are. */
    public record Changes(String name, String email, String role, String password, String profileImageUrl) {}

    public User update(User actor, String id, Changes c) {
        User target = get(id);
        if (target.primary() && !actor.id().equals(target.id())) {
            throw ApiException.forbidden("The primary admin account can only be changed by its owner.");
        }
        if (target.primary() && c.role() != null && !c.role().equals("admin")) {
            throw ApiException.forbidden("The primary admin cannot be demoted.");
        }
        String email = target.email();
        if (c.email() != null) {
            email = Emails.normalize(c.email());
            if (!Emails.valid(email)) {
                throw ApiException.badRequest("Invalid email format.");
            }
            if (store.emailTaken(email, id)) {
                throw ApiException.badRequest("This email is already registered. Sign in or use another email.");
            }
        }
        String hash = null;
        if (c.password() != null) {
            checkPassword(c.password());
            hash = passwords.hash(c.password());
        }
        long now = now();
        User updated = new User(id, email, c.name() != null ? c.name() : target.name(),
                c.role() != null ? c.role() : target.role(),
                c.profileImageUrl() != null ? c.profileImageUrl() : target.profileImageUrl(),
                target.lastActiveAt(), target.createdAt(), now, target.primary());
        String newHash = hash;
        db.inTransaction(() -> {
            store.update(updated);
            if (newHash != null) {
                store.updatePassword(id, newHash, now);
            }
            return null;
        });
        changed();
        return updated;
    }

    /** Deletes an account and, by cascade, everything it owns. */
    public void delete(User actor, String id) {
        User target = get(id);
        if (target.id().equals(actor.id())) {
            throw ApiException.forbidden("You cannot delete your own account.");
        }
        if (target.primary()) {
            throw ApiException.forbidden("The primary admin account cannot be deleted.");
        }
        deleteListeners.forEach(l -> l.accept(id));
        if (store.delete(id)) {
            deletedListeners.forEach(l -> l.accept(id));
        }
        changed();
    }

    public ObjectNode settings(String id) {
        return Json.readObject(store.settings(id).orElse(null));
    }

    public ObjectNode updateSettings(String id, ObjectNode settings) {
        store.updateSettings(id, Json.write(settings), now());
        return settings;
    }
}
