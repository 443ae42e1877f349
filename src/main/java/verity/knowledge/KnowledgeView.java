package verity.knowledge;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;
import verity.files.FileView;

/**
 * A collection as both clients expect it: the seed's {@code data.file_ids} and Open WebUI's fields
 * ({@code meta}, {@code access_control} (always null: collections are private), {@code files}, {@code write_access}).
 */
public record KnowledgeView(String id, String userId, String name, String description, Map<String, Object> data,
                            ObjectNode meta, Object accessControl, long createdAt, long updatedAt, List<FileView> files,
                            boolean writeAccess) {}
