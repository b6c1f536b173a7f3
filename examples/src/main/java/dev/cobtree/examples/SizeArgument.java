package dev.cobtree.examples;

/** The optional size argument of an example: {@code 1000000}, {@code 1_000_000}, {@code 1,000,000}, {@code 250k}, {@code 10M}. */
final class SizeArgument {

    private SizeArgument() {
    }

    /** {@code args[0]} as a size, or {@code fallback} if absent. @throws IllegalArgumentException naming a bad size */
    static int parse(String[] args, int fallback) {
        if (args.length == 0) return fallback;
        String s = args[0].trim().replace("_", "").replace(",", "");
        long scale = 1;
        if (s.endsWith("k") || s.endsWith("K")) scale = 1_000;
        if (s.endsWith("m") || s.endsWith("M")) scale = 1_000_000;
        if (scale > 1) s = s.substring(0, s.length() - 1);
        long n;
        try {
            n = Long.parseLong(s) * scale;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + args[0] + "' is not a number (examples: 100000, 250k, 10M)");
        }
        if (n < 1 || n > 200_000_000) {
            throw new IllegalArgumentException("size " + args[0] + " must be between 1 and 200,000,000");
        }
        return (int) n;
    }
}
