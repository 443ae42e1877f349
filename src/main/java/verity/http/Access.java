package verity.http;

/** Who may call a route. Checked in one place, {@link Authenticator}, before the handler runs. */
public enum Access {
    /** Anyone; credentials are ignored. */
    PUBLIC,
    /** Anyone; valid credentials, when sent, identify the caller (bad ones are a 401). */
    OPTIONAL,
    /** Any signed-in account, including pending ones. */
    SIGNED_IN,
    /** Verified accounts: role user or admin. */
    USER,
    /** Admins only. */
    ADMIN
}
