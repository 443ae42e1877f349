package verity.files;

import java.util.Map;

/** What happens to a file's text after upload: extraction, chunking, embedding and indexing, in the background. */
public interface FileIndexing {

    /** Queues the file for (re)processing; its status is pending until done. */
    void submit(String fileId);

    /** Removes the file's chunks from the index. */
    void remove(String fileId);

    /** Stage and counts while the file is being processed, or null. */
    Map<String, Object> progress(String fileId);
}
