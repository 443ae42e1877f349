package verity.feedback;

import tools.jackson.databind.node.ObjectNode;

/** A feedback as submitted. On create, type and data are required; on update every field is optional. */
public record FeedbackForm(String type, ObjectNode data, ObjectNode meta, ObjectNode snapshot) {}
