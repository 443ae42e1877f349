package verity.gateway;

import java.util.Map;
import tools.jackson.databind.node.ObjectNode;
import verity.users.User;

/** Changes a completion request before it is relayed (retrieval context) and adds top-level keys to the answer. */
public interface RequestAugmenter {

    /** The request to relay and the keys to add to the answer (non-stream) or to the first event (stream). */
    record Augmented(ObjectNode request, Map<String, Object> extras) {}

    RequestAugmenter NONE = (user, request) -> new Augmented(request, Map.of());

    Augmented augment(User user, ObjectNode request);
}
