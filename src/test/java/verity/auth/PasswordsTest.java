package verity.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordsTest {
    final Passwords fast = new Passwords(4);

    @Test
    void new_hashes_are_bcrypt_2b_at_the_configured_cost() {
        String hash = new Passwords(12).hash("secret");
        assertTrue(hash.startsWith("$2b$12$"), hash);
        assertTrue(hash.length() == 60, hash);
        assertTrue(fast.hash("secret").startsWith("$2b$04$"));
        assertNotEquals(fast.hash("secret"), fast.hash("secret"), "salted");
    }

    @Test
    void hashes_verify_their_own_password_only() {
        String hash = fast.hash("correct horse");
        assertTrue(fast.matches("correct horse", hash));
        assertFalse(fast.matches("correct horse ", hash));
        assertFalse(fast.matches("", hash));
    }

    @Test
    void the_pyca_bcrypt_test_vector_verifies() {
        String hash = "$2b$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm";
        assertTrue(fast.matches("Kk4DQuMMfZL9o", hash));
        assertFalse(fast.matches("Kk4DQuMMfZL9O", hash));
    }

    @Test
    void a_hash_made_by_python_bcrypt_for_a_utf8_password_verifies() {
        String hash = "$2b$12$iVOQLmqvplWNjlpK95RbA.v2xADG/DLDaufn0WRePxSmfuBZudg4m";
        assertTrue(fast.matches("pässwörd-é", hash));
        assertFalse(fast.matches("passwort-e", hash));
    }

    @Test
    void a_2a_hash_also_verifies() {
        // Open WebUI databases written by older bcrypt builds may hold $2a$ hashes.
        String hash2b = fast.hash("legacy");
        assertTrue(fast.matches("legacy", "$2a$" + hash2b.substring(4)));
    }

    @Test
    void a_malformed_or_missing_hash_is_false_not_an_exception() {
        for (String bad : new String[] {null, "", "plain-text", "$2b$12$short", "$2b$99$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm",
                "$2b$04$!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", "$argon2id$v=19$m=65536"}) {
            assertFalse(fast.matches("Kk4DQuMMfZL9o", bad), String.valueOf(bad));
        }
    }

    @Test
    void too_long_counts_utf8_bytes_with_a_72_byte_limit() {
        assertFalse(Passwords.tooLong("x".repeat(72)));
        assertTrue(Passwords.tooLong("x".repeat(73)));
        assertFalse(Passwords.tooLong("é".repeat(36)), "72 bytes");
        assertTrue(Passwords.tooLong("é".repeat(36) + "x"), "73 bytes");
        assertThrows(IllegalArgumentException.class, () -> fast.hash("x".repeat(73)));
    }

    @Test
    void a_longer_password_at_signin_is_truncated_to_72_bytes_like_open_webui() {
        String hash = fast.hash("y".repeat(72));
        assertTrue(fast.matches("y".repeat(72) + "anything", hash));
        assertFalse(fast.matches("y".repeat(71), hash));
    }
}
