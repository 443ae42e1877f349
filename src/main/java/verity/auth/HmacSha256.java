package verity.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 signing and verification for secrets of any length.
 *
 * <p>Nimbus (like jjwt) refuses HMAC keys shorter than 256 bits, following RFC 7518 §3.2. Open WebUI signs with
 * WEBUI_SECRET_KEY as-is, and deployments commonly use short secrets (its old default "t0p-s3cr3t" is 80 bits).
 * HMAC itself is defined for keys of any length (RFC 2104), and PyJWT signs with the raw key, so to keep those
 * tokens valid we compute HMAC-SHA256 with the JDK's {@link Mac} over the exact key bytes and let Nimbus do
 * everything else (parsing, header and claims handling). The comparison is constant-time.
 */
final class HmacSha256 implements JWSSigner, JWSVerifier {
    private final SecretKeySpec key;
    private final JCAContext jca = new JCAContext();

    HmacSha256(byte[] secret) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("empty HMAC secret");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    private byte[] mac(byte[] input) throws JOSEException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new JOSEException("HMAC-SHA256 unavailable", e);
        }
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        return Base64URL.encode(mac(signingInput));
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        return JWSAlgorithm.HS256.equals(header.getAlgorithm())
                && MessageDigest.isEqual(mac(signingInput), signature.decode());
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.HS256);
    }

    @Override
    public JCAContext getJCAContext() {
        return jca;
    }
}
