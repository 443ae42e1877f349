package verity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {
    @Test
    void ids_are_version_7_uuids_carrying_the_time() {
        long now = System.currentTimeMillis();
        UUID id = UUID.fromString(TimeOrderedIds.next());
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        long millis = id.getMostSignificantBits() >>> 16;
        assertTrue(millis >= now && millis <= System.currentTimeMillis() + 1, "timestamp " + millis + " near " + now);
    }

    @Test
    void ids_increase_as_text_even_within_one_millisecond_and_across_threads() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(TimeOrderedIds.next()); // many per millisecond: the counter keeps them in order
        }
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, ids.get(i - 1) + " then " + ids.get(i));
        }
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 5_000; i++) {
                    seen.add(TimeOrderedIds.next());
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(40_000, seen.size());
    }

    @Test
    void a_clock_that_steps_back_does_not_make_ids_go_back() {
        UUID later = TimeOrderedIds.uuid(System.currentTimeMillis() + 60_000);
        UUID after = TimeOrderedIds.uuid(System.currentTimeMillis());
        assertTrue(later.toString().compareTo(after.toString()) < 0);
    }
}
