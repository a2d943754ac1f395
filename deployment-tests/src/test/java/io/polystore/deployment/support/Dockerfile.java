package io.polystore.deployment.support;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read as Docker reads it, far enough to check it without building: comment lines dropped, continued
 * lines joined (runs of white space made one space), instructions grouped by stage, {@code ARG} and {@code ENV} values resolved.
 */
public final class Dockerfile {

    private static final Pattern FROM = Pattern.compile("(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)=(\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S*))");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    /** One instruction: its keyword in upper case and its arguments as written, continuations joined. */
    public record Instruction(String keyword, String arguments) {
    }

    /** A build stage: its base image (global ARGs resolved), its name if any, its instructions after FROM. */
    public record Stage(String baseImage, String name, List<Instruction> instructions) {

        public List<Instruction> all(String keyword) {
            return instructions.stream().filter(instruction -> instruction.keyword().equals(keyword)).toList();
        }
    }

    private final Map<String, String> globalArguments;
    private final List<Stage> stages;

    private Dockerfile(Map<String, String> globalArguments, List<Stage> stages) {
        this.globalArguments = globalArguments;
        this.stages = stages;
    }

    public static Dockerfile read(Path file) {
        List<Instruction> instructions = new ArrayList<>();
        try {
            StringBuilder current = new StringBuilder();
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                    continue;
                }
                boolean continued = trimmed.endsWith("\\");
                current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
                if (!continued) {
                    String text = current.toString().strip().replaceAll("\\s+", " ");
                    int space = text.indexOf(' ');
                    instructions.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
                    current.setLength(0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        Map<String, String> globalArguments = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                Matcher from = FROM.matcher(instruction.arguments());
                if (!from.matches()) {
                    throw new IllegalArgumentException("Cannot read FROM " + instruction.arguments());
                }
                stages.add(new Stage(substitute(from.group(1), globalArguments), from.group(2), new ArrayList<>()));
            } else if (stages.isEmpty()) {
                if (instruction.keyword().equals("ARG")) {
                    declare(instruction.arguments(), globalArguments, Map.of());
                }
            } else {
                stages.getLast().instructions().add(instruction);
            }
        }
        return new Dockerfile(globalArguments, stages);
    }

    /** The ARGs declared before the first FROM, with their defaults. */
    public Map<String, String> globalArguments() {
        return globalArguments;
    }

    public List<Stage> stages() {
        return stages;
    }

    public Stage stage(String name) {
        return stages.stream().filter(stage -> name.equals(stage.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No stage " + name));
    }

    /** The stage the image is made of. */
    public Stage finalStage() {
        return stages.getLast();
    }

    /**
     * The environment a stage's {@code ENV} instructions give its containers, with {@code ${NAME}} replaced by the
     * build arguments (else the ARG's default) and by earlier ENV values.
     */
    public static Map<String, String> environment(Stage stage, Map<String, String> buildArguments) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        for (Instruction instruction : stage.instructions()) {
            switch (instruction.keyword()) {
                case "ARG" -> declare(instruction.arguments(), values, buildArguments);
                case "ENV" -> {
                    Map<String, String> declared = assignments(instruction.arguments(), values);
                    values.putAll(declared);
                    environment.putAll(declared);
                }
                default -> {
                    // Nothing else sets the environment.
                }
            }
        }
        return environment;
    }

    /**
     * The command of an instruction in exec form: {@code ["a", "b"]} of {@code ENTRYPOINT ["a", "b"]}, or of
     * {@code HEALTHCHECK --interval=15s CMD ["a", "b"]}.
     *
     * @throws IllegalArgumentException when it is in shell form, which would need a shell in the image
     */
    public static List<String> execForm(Instruction instruction) {
        String arguments = instruction.arguments();
        if (instruction.keyword().equals("HEALTHCHECK")) {
            arguments = arguments.substring(arguments.indexOf("CMD") + 3).strip();
        }
        if (!arguments.startsWith("[") || !arguments.endsWith("]")) {
            throw new IllegalArgumentException(instruction.keyword() + " is not in exec form: " + instruction.arguments());
        }
        return List.copyOf(new Yaml().<List<String>>load(arguments));
    }

    /** {@code ARG NAME[=default]}: the build argument's value if given, else the default. */
    private static void declare(String arguments, Map<String, String> values, Map<String, String> buildArguments) {
        int equals = arguments.indexOf('=');
        String name = equals < 0 ? arguments.strip() : arguments.substring(0, equals).strip();
        String fallback = equals < 0 ? "" : unquote(arguments.substring(equals + 1).strip());
        values.put(name, buildArguments.getOrDefault(name, fallback));
    }

    private static Map<String, String> assignments(String arguments, Map<String, String> values) {
        Map<String, String> assigned = new LinkedHashMap<>();
        Matcher assignment = ASSIGNMENT.matcher(arguments);
        while (assignment.find()) {
            String raw = assignment.group(3) != null ? assignment.group(3).replace("\\\"", "\"") : assignment.group(4);
            assigned.put(assignment.group(1), substitute(raw, values));
        }
        return assigned;
    }

    private static String substitute(String text, Map<String, String> values) {
        return REFERENCE.matcher(text).replaceAll(reference -> Matcher.quoteReplacement(
                values.getOrDefault(reference.group(1) != null ? reference.group(1) : reference.group(2), "")));
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
