package verity.retrieval;

import java.util.LinkedHashMap;
import java.util.Map;

/** A small fixed corpus with one clear topic per document. */
public final class Corpus {
    private Corpus() {}

    public static final Map<String, String> DOCS = docs();

    private static Map<String, String> docs() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bread.md", "# Sourdough\n\nA sourdough starter is flour and water fermented by wild yeast. Feed it daily; "
                + "the dough rises slowly during a long proof in a warm kitchen, then bakes in a hot Dutch oven for a crisp crust.");
        d.put("penguins.txt", "Emperor penguins breed during the Antarctic winter. The males keep the egg on their feet "
                + "for two months without eating while blizzards sweep across the sea ice.");
        d.put("kubernetes.txt", "A Kubernetes pod is the smallest deployable unit: one or more containers sharing a network "
                + "namespace. A deployment keeps the desired number of pod replicas running on the cluster nodes.");
        d.put("revolution.txt", "The storming of the Bastille on 14 July 1789 became the symbol of the French Revolution, "
                + "which ended the absolute monarchy of Louis XVI.");
        d.put("photosynthesis.txt", "In photosynthesis, chloroplasts in plant leaves capture sunlight and turn carbon dioxide "
                + "and water into glucose, releasing oxygen.");
        return d;
    }
}
