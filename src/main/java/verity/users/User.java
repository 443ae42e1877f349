package verity.users;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** An account as the API shows it. The password hash never leaves {@link UserStore}. */
public record User(String id, String email, String name, String role, String profileImageUrl,
                   long lastActiveAt, long createdAt, long updatedAt, boolean primary) {

    public static final String DEFAULT_PROFILE_IMAGE = "/user.png";

    @JsonIgnore
    public boolean isAdmin() {
        return "admin".equals(role);
    }

    @JsonIgnore
    public boolean isPending() {
        return "pending".equals(role);
    }
}
