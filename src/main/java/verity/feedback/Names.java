package verity.feedback;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Strings numbered from 0 in the order first seen (model ids, tags, user ids of the game log); never forgets one. */
final class Names {
    private final Map<String, Integer> numbers = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    int number(String name) {
        Integer n = numbers.get(name);
        if (n == null) {
            n = names.size();
            numbers.put(name, n);
            names.add(name);
        }
        return n;
    }

    /** The number of {@code name}, or -1 when it was never seen. */
    int find(String name) {
        return numbers.getOrDefault(name, -1);
    }

    String name(int number) {
        return names.get(number);
    }

    int size() {
        return names.size();
    }
}
