package verity.helicone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import verity.http.ApiException;
import verity.http.Json;

/** The filter compiler: shapes Helicone accepts, and clear 422s for everything else. No value reaches the SQL text. */
class HeliconeQueryTest {
    private static HeliconeQuery.Compiled compile(String json) {
        return HeliconeQuery.compile(Json.read(json));
    }

    private static void rejected(String json, String fragment) {
        ApiException e = assertThrows(ApiException.class, () -> compile(json));
        assertEquals(422, e.status());
        assertTrue(String.valueOf(e.detail()).contains(fragment), e.detail() + " should mention " + fragment);
    }

    @Test
    void all_matches_everything_with_helicone_defaults() {
        HeliconeQuery.Compiled q = compile("{\"filter\": \"all\"}");
        assertEquals("1=1", q.where());
        assertEquals(10, q.limit());
        assertEquals(0, q.offset());
        assertTrue(q.orderBy().contains("r.created_at_ms DESC"));
    }

    @Test
    void branches_nest_and_values_are_bound_not_inlined() {
        HeliconeQuery.Compiled q = compile("""
                {"filter": {"left": {"feedback": {"rating": {"equals": false}}}, "operator": "and",
                 "right": {"left": {"properties": {"Feature": {"equals": "x' OR 1=1 --"}}}, "operator": "or",
                           "right": {"request": {"created_at": {"gte": "2025-01-01T00:00:00Z"}}}}},
                 "limit": 100}""");
        assertTrue(q.where().startsWith("(EXISTS (SELECT 1 FROM feedback fb"), q.where());
        assertTrue(q.where().contains(" AND (") && q.where().contains(" OR "), q.where());
        assertTrue(!q.where().contains("OR 1=1"), "values never appear in the SQL");
        assertEquals(List.of("-1", "feature", "x' OR 1=1 --", 1735689600000L), q.whereParams());
        assertEquals(100, q.limit());
    }

    @Test
    void text_operators_and_the_null_value() {
        assertEquals("r.model = ?", compile("{\"filter\": {\"request\": {\"model\": {\"equals\": \"gpt\"}}}}").where());
        assertEquals("r.model IS NULL", compile("{\"filter\": {\"request\": {\"model\": {\"equals\": \"null\"}}}}").where());
        assertEquals("LOWER(r.model) LIKE ? ESCAPE '\\'", compile("{\"filter\": {\"request\": {\"model\": {\"contains\": \"G%\"}}}}").where());
        assertEquals(List.of("%g\\%%"), compile("{\"filter\": {\"request\": {\"model\": {\"contains\": \"G%\"}}}}").whereParams());
        assertEquals("r.latency_ms >= ?", compile("{\"filter\": {\"request_response_rmt\": {\"latency\": {\"gte\": 5}}}}").where());
    }

    @Test
    void several_tables_in_one_leaf_are_and_ed() {
        String where = compile("{\"filter\": {\"request\": {\"model\": {\"equals\": \"a\"}}, \"response\": {\"status\": {\"equals\": 200}}}}").where();
        assertEquals("(r.model = ? AND r.status = ?)", where);
    }

    @Test
    void bad_filters_are_clear_422s() {
        rejected("{\"filter\": \"some\"}", "all");
        rejected("{\"filter\": {\"left\": \"all\", \"operator\": \"xor\", \"right\": \"all\"}}", "'and' or 'or'");
        rejected("{\"filter\": {\"left\": \"all\", \"operator\": \"and\"}}", "both");
        rejected("{\"filter\": {\"nope\": {\"x\": {\"equals\": 1}}}}", "unknown table");
        rejected("{\"filter\": {\"request\": {\"nope\": {\"equals\": 1}}}}", "unknown column");
        rejected("{\"filter\": {\"request\": {\"model\": {\"gte\": \"a\"}}}}", "unknown text operator");
        rejected("{\"filter\": {\"request\": {\"model\": {\"equals\": 5}}}}", "string");
        rejected("{\"filter\": {\"feedback\": {\"rating\": {\"equals\": \"yes\"}}}}", "boolean");
        rejected("{\"filter\": {\"request\": {\"created_at\": {\"gte\": \"yesterday\"}}}}", "ISO-8601");
        rejected("{\"filter\": {\"request\": {\"created_at\": {\"equals\": \"2025-01-01\"}}}}", "does not apply");
        rejected("{\"filter\": {}}", "empty leaf");
        rejected("{\"filter\": \"all\", \"limit\": 1001}", "limit");
        rejected("{\"filter\": \"all\", \"offset\": -1}", "offset");
        rejected("{\"filter\": \"all\", \"sort\": {\"bogus\": \"asc\"}}", "cannot sort");
        rejected("{\"filter\": \"all\", \"sort\": {\"latency\": \"up\"}}", "direction");
    }

    @Test
    void deep_trees_are_refused_before_they_exhaust_the_stack() {
        String node = "\"all\"";
        for (int i = 0; i < 40; i++) {
            node = "{\"left\": " + node + ", \"operator\": \"and\", \"right\": \"all\"}";
        }
        rejected("{\"filter\": " + node + "}", "nested too deeply");
    }

    @Test
    void sort_takes_the_first_key_and_properties_by_name() {
        assertTrue(compile("{\"filter\": \"all\", \"sort\": {\"latency\": \"asc\", \"created_at\": \"desc\"}}").orderBy()
                .startsWith(" ORDER BY r.latency_ms ASC"));
        HeliconeQuery.Compiled q = compile("{\"filter\": \"all\", \"sort\": {\"properties\": {\"Feature\": \"desc\"}}}");
        assertEquals(List.of("feature"), q.orderParams());
        assertTrue(q.orderBy().contains("DESC"));
    }
}
