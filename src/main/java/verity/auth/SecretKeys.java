package verity.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import verity.config.ConfigException;

/** Resolves WEBUI_SECRET_KEY: the variable, else the key file, else a new random key saved to the key file. */
public final class SecretKeys {
    private SecretKeys() {}

    public static String resolve(Optional<String> fromEnv, Path keyFile) {
        if (fromEnv.isPresent()) {
            return fromEnv.get();
        }
        try {
            if (Files.exists(keyFile)) {
                String key = Files.readString(keyFile, StandardCharsets.UTF_8).trim();
                if (key.isEmpty()) {
                    throw new ConfigException("WEBUI_SECRET_KEY_FILE", keyFile + " is empty");
                }
                return key;
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path parent = keyFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(keyFile, key, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort on non-POSIX file systems
            }
            return key;
        } catch (IOException e) {
            throw new ConfigException("WEBUI_SECRET_KEY_FILE", "cannot read or create " + keyFile + " (" + e.getMessage() + ")");
        } catch (UncheckedIOException e) {
            throw new ConfigException("WEBUI_SECRET_KEY_FILE", "cannot read " + keyFile);
        }
    }
}
