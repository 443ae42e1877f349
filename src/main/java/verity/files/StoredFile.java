package verity.files;

/** A files row; {@code content} (the extracted text) is only loaded where it is needed. */
public record StoredFile(String id, String userId, String filename, String storageKey, String contentType, long size,
                         String hash, String status, String error, String meta, long createdAt, long updatedAt) {

    public static final String PENDING = "pending";
    /** Stored with {@code ?process=false}: not queued, so a restart does not process it either. */
    public static final String UPLOADED = "uploaded";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    /** The status clients see: Open WebUI shows a file that was never processed as pending. */
    public String apiStatus() {
        return UPLOADED.equals(status) ? PENDING : status;
    }
}
