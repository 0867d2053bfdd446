package io.snkb.bridge.internal.servicenow;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page read by offset, with what the instance said of the rows after it. Immutable.
 *
 * @param rows       the rows the user may see, in the query's order
 * @param nextOffset the {@code sysparm_offset} of the {@code next} link of the {@code Link} header, if the
 *                   answer had one: where the instance's next page starts, which tells how many rows this page
 *                   passed over when the instance caps {@code sysparm_limit} below what was asked
 * @param linked     whether the answer had a {@code Link} header at all; without one, nothing is known of the
 *                   rows after the page
 */
public record OffsetPage(List<Map<String, String>> rows, OptionalLong nextOffset, boolean linked) {
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?([A-Za-z]+)\"?");
    private static final Pattern OFFSET = Pattern.compile("(?:^|[?&])sysparm_offset=(\\d{1,18})(?:&|$)");

    public OffsetPage {
        rows = List.copyOf(rows);
    }

    /**
     * How many rows of the query's order a read at {@code offset} of {@code limit} rows passed over: fewer than
     * {@code limit} when the {@code next} link starts sooner, {@code limit} when the answer says nothing.
     */
    public long covered(long offset, int limit) {
        if (nextOffset.isPresent() && nextOffset.getAsLong() > offset) {
            return Math.min(limit, nextOffset.getAsLong() - offset);
        }
        return limit;
    }

    /** The offset of the {@code next} link in a {@code Link} header's value; empty when there is none. */
    static OptionalLong nextOffset(String linkHeader) {
        Matcher link = LINK.matcher(linkHeader);
        while (link.find()) {
            if (link.group(2).equalsIgnoreCase("next")) {
                String query;
                try {
                    query = URI.create(link.group(1).trim()).getRawQuery();
                } catch (IllegalArgumentException e) {
                    int at = link.group(1).indexOf('?');
                    query = at < 0 ? null : link.group(1).substring(at + 1);
                }
                Matcher offset = query == null ? null : OFFSET.matcher(query);
                return offset != null && offset.find() ? OptionalLong.of(Long.parseLong(offset.group(1)))
                        : OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }
}
