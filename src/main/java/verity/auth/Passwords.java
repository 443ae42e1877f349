package verity.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** bcrypt ($2b$, cost 12 by default), compatible with hashes made by Python's bcrypt (Open WebUI). */
public final class Passwords {
    /** bcrypt reads at most 72 bytes of a password. */
    public static final int MAX_BYTES = 72;

    private final int cost;
    private final BCrypt.Hasher hasher = BCrypt.with(BCrypt.Version.VERSION_2B);
    // At sign-in, like Open WebUI, a longer password is truncated to what bcrypt actually reads.
    private final BCrypt.Verifyer verifier =
            BCrypt.verifyer(BCrypt.Version.VERSION_2B, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B));

    public Passwords(int cost) {
        this.cost = cost;
    }

    public static boolean tooLong(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }

    public String hash(String password) {
        if (tooLong(password)) {
            throw new IllegalArgumentException("password longer than 72 bytes");
        }
        return new String(hasher.hash(cost, password.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    public boolean matches(String password, String hash) {
        if (hash == null || !hash.startsWith("$2")) {
            return false;
        }
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        try {
            return verifier.verify(bytes.length > MAX_BYTES ? Arrays.copyOf(bytes, MAX_BYTES) : bytes,
                    hash.getBytes(StandardCharsets.UTF_8)).verified;
        } catch (IllegalArgumentException malformedHash) {
            return false;
        }
    }
}
