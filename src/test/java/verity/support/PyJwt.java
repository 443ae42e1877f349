package verity.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import verity.http.Json;

/**
 * Makes HS256 tokens the way PyJWT 2.x (and so Open WebUI) does, independently of the server's own code:
 * header {"alg":"HS256","typ":"JWT"}, compact JSON, unpadded base64url, HMAC-SHA256 over the raw secret bytes.
 */
public final class PyJwt {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private PyJwt() {}

    public static String encode(String secret, Map<String, ?> payload) {
        return encode(secret, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", Json.write(payload));
    }

    /** A token with the given header and payload JSON, signed with HMAC-SHA256 whatever the header says. */
    public static String encode(String secret, String headerJson, String payloadJson) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        return input + "." + B64.encodeToString(hmac(secret, input));
    }

    public static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(String secret, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
