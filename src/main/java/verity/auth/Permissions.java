package verity.auth;

import java.util.Map;
import verity.users.User;

/** The feature-permission tree Open WebUI's client reads from the session. */
final class Permissions {
    private Permissions() {}

    static Map<String, Object> of(User user, boolean apiKeysEnabled) {
        boolean verified = !user.isPending();
        return Map.of(
                "chat", Map.of("delete", verified, "edit", verified, "share", verified, "export", verified,
                        "temporary", verified, "file_upload", verified),
                "features", Map.of("api_keys", apiKeysEnabled && verified,
                        "web_search", false, "image_generation", false, "code_interpreter", false),
                "workspace", Map.of("models", user.isAdmin(), "knowledge", verified, "prompts", verified,
                        "tools", user.isAdmin()));
    }
}
