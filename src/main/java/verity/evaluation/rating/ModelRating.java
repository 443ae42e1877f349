package verity.evaluation.rating;

/**
 * One model's Bradley–Terry rating. {@code theta} is in log10 units (rating = 400·θ + 1000); ratings are only
 * comparable within one {@code component}; {@code regularised} marks a component whose MLE did not exist and was
 * bounded by virtual ties (see {@link BradleyTerry}).
 */
public record ModelRating(String model, double rating, double theta, long comparisons, int component,
        boolean regularised) {}
