package io.snkb.bridge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Generates the configuration reference ({@code docs/configuration.md}) from the declarations of the
 * keys, so that the documented names, types, defaults and validations are the ones the loader applies.
 * Stateless and thread-safe.
 */
public final class ConfigReference {

    private static final String INTRO = """
            # Configuration reference

            snkb reads one YAML file. It describes the ServiceNow instances and their tables, the Kafka cluster, \
            and how changes flow between them. Keys are written in kebab-case. Every problem in the file is \
            reported at once, each with the path of the key, e.g. \
            `Invalid value 'ftp://x' for 'instances[0].base-url': must be an http or https URL`; unknown keys are \
            problems too. The CLI's `validate` command checks a file and prints the effective configuration with \
            every default filled in (the `source` defaults for tables, such as `page-size`, as each table's own \
            values) and every secret shown as `******`; applications that embed the engine get \
            the same text from `ConfigRenderer.render`.

            This file is generated from the key declarations in `io.snkb.bridge.config.ConfigSchema`; edit those, \
            not this file.

            ## Example

            """;

    private static final String VALUES = """
            ## Values

            **Substitution.** Before a value is read, references in it are replaced:

            | Written | Becomes |
            |---|---|
            | `${NAME}` | the environment variable `NAME`; a problem if it is not set |
            | `${NAME:-fallback}` | the variable, or `fallback` when it is unset or empty |
            | `${file:/run/secrets/pw}` | the file's content without one trailing newline; a relative path is \
            resolved against the directory of the configuration file |
            | `$${NAME}` | the literal text `${NAME}` |

            Only these exact forms are references. Any other `$` is kept as written, so `pa$$word`, `$5abc`, \
            `$HOME` or a `${` without its closing brace need no escaping. Substituted text is not scanned again. \
            Problems name the key and the variable or file, never a secret value.

            **Secrets.** Values of keys of type *secret* are never logged or shown: not in problems, not in the \
            effective configuration, not in `toString()`. Kafka properties whose names contain `password`, \
            `secret`, `token`, `key` or `jaas` are treated the same way, except names ending in `.type`, \
            `.algorithm` or `serializer`.

            **Durations** are written `500ms`, `10s`, `5m`, `1h` or `2d` (one unit), as ISO-8601 (`PT1M30S`), or \
            as a bare `0`.

            **Enumerations** ignore case and accept `_` for `-`: `client-credentials`, `CLIENT_CREDENTIALS`.

            **Numbers and booleans** written where text is expected are taken as written: `username: 0042` is \
            the text `0042`. Booleans are `true` or `false`.

            **Lists** are YAML sequences: `fields: [number, short_description]`.

            ## Keys

            """;

    private ConfigReference() {
    }

    /** The whole reference as Markdown, with {@code exampleYaml} shown as the complete example file. */
    public static String markdown(String exampleYaml) {
        StringBuilder out = new StringBuilder(INTRO);
        out.append("```yaml\n").append(exampleYaml.strip()).append("\n```\n\n").append(VALUES);
        Map<ConfigKey<?>, String> paths = ConfigSchema.paths();
        appendSection(out, "Top level", ConfigSchema.ROOT, paths);
        return out.toString();
    }

    private static void appendSection(StringBuilder out, String title, ConfigSection section,
                                      Map<ConfigKey<?>, String> paths) {
        out.append("### ").append(title).append("\n\n");
        out.append("| Key | Type | Default | Validation | Description |\n|---|---|---|---|---|\n");
        for (ConfigKey<?> key : section.keys()) {
            out.append("| `").append(paths.get(key)).append("` | ").append(type(key)).append(" | ")
                    .append(defaultOf(key, paths)).append(" | ").append(cell(validation(key))).append(" | ")
                    .append(cell(key.description())).append(" |\n");
        }
        out.append('\n');
        for (ConfigKey<?> key : section.keys()) {
            if (key.section() != null) {
                String suffix = key.shape() == ConfigKey.Shape.SECTION_LIST ? "[]" : "";
                appendSection(out, "`" + paths.get(key) + suffix + "`", key.section(), paths);
            }
        }
    }

    private static String type(ConfigKey<?> key) {
        return switch (key.shape()) {
            case SCALAR -> key.type().docName();
            case LIST -> "list of " + key.type().docName() + "s";
            case MAP -> "map of strings";
            case SECTION -> "mapping";
            case SECTION_LIST -> "list of mappings";
        };
    }

    private static String defaultOf(ConfigKey<?> key, Map<ConfigKey<?>, String> paths) {
        if (key.defaultDoc() != null) {
            return key.defaultDoc();
        }
        if (key.defaultFrom() != null) {
            return "`" + paths.get(key.defaultFrom()) + "`";
        }
        Object value = key.defaultValue();
        if (value == null || key.shape() == ConfigKey.Shape.SECTION || key.required() && key.appliesWhen() == null) {
            return "";
        }
        String shown = key.shape() == ConfigKey.Shape.SCALAR ? key.type().print(value) : value.toString();
        return shown.isEmpty() ? "`\"\"`" : "`" + shown + "`";
    }

    private static String validation(ConfigKey<?> key) {
        List<String> parts = new ArrayList<>();
        if (key.appliesWhen() != null) {
            parts.add((key.required() ? "required when " : "used only when ") + key.appliesWhen().describe());
        } else if (key.required()) {
            parts.add("required");
        }
        if (key.type() != null && !key.type().choices().isEmpty()) {
            parts.add("one of " + key.type().choices().stream().map(c -> "`" + c + "`")
                    .collect(Collectors.joining(", ")));
        }
        key.rules().forEach(rule -> parts.add(rule.doc()));
        if (key.unique()) {
            parts.add("unique in the list");
        }
        if (key.references() != null) {
            parts.add("the name of a configured " + key.referenceNoun());
        }
        return String.join("; ", parts);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
