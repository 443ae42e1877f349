package verity.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/** Files in one directory; each is written to a temporary name first and moved into place when complete. */
public final class LocalFileStorage implements FileStorage {
    private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private final Path root;

    public LocalFileStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the upload directory " + this.root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Stored put(String key, InputStream in, long maxBytes) throws IOException {
        Path target = resolve(key);
        Path temp = root.resolve(".upload-" + UUID.randomUUID());
        try {
            MessageDigest sha = sha256();
            long size = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    size += n;
                    if (size > maxBytes) {
                        throw new TooLarge(maxBytes);
                    }
                    out.write(buffer, 0, n);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Stored(size, HexFormat.of().formatHex(sha.digest()));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(resolve(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    /** Keys are generated, but a key that could leave the directory is refused all the same. */
    private Path resolve(String key) {
        if (!SAFE_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("unsafe storage key: " + key);
        }
        Path path = root.resolve(key).normalize();
        if (!path.getParent().equals(root)) {
            throw new IllegalArgumentException("unsafe storage key: " + key);
        }
        return path;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
