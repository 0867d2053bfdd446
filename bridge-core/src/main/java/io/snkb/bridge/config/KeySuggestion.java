package io.snkb.bridge.config;

import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Finds the key that an unknown key was probably meant to be. Stateless. */
final class KeySuggestion {

    private KeySuggestion() {
    }

    /** {@code unknown key; did you mean 'page-size'?}, or the keys that the section allows. */
    static String reason(String unknown, ConfigSection section) {
        Optional<String> close = closest(unknown, section);
        if (close.isPresent()) {
            return "unknown key; did you mean '" + close.get() + "'?";
        }
        String allowed = section.keys().stream().map(ConfigKey::name).collect(Collectors.joining(", "));
        return "unknown key; allowed here: " + allowed;
    }

    // pageSize, page_size and pagesize all mean page-size; beyond that, allow about one typo in four letters.
    static Optional<String> closest(String unknown, ConfigSection section) {
        String wanted = normalize(unknown);
        return section.keys().stream().map(ConfigKey::name)
                .filter(name -> {
                    int distance = distance(wanted, normalize(name));
                    return distance <= Math.max(1, name.length() / 4);
                })
                .min(Comparator.comparingInt(name -> distance(wanted, normalize(name))));
    }

    private static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
