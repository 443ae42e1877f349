package verity.users;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What the admin user list may be ordered by; each value maps to a fixed column, never to request text. */
public final class UserQuery {
    public static final int PAGE_SIZE = 30;

    public enum Order {
        CREATED_AT("u.created_at"), UPDATED_AT("u.updated_at"), LAST_ACTIVE_AT("u.last_active_at"),
        NAME("LOWER(u.name)"), EMAIL("u.email"), ROLE("u.role");

        final String column;

        Order(String column) {
            this.column = column;
        }

        public static Optional<Order> parse(String value) {
            return Arrays.stream(values()).filter(o -> o.name().equalsIgnoreCase(value)).findFirst();
        }

        public String param() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private UserQuery() {}
}
