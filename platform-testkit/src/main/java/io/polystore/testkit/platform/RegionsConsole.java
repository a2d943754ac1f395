package io.polystore.testkit.platform;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a running {@code ./polystore --regions N} reads on its terminal, one command a line, as a development server
 * takes commands where it runs (no second terminal, no port of its own, and what a command prints appears where the
 * user is looking): {@code add-region} adds the next region while the others run, {@code help} lists the commands.
 * Each command is carried out before the next line is read; the end of the input ends the reading, not the regions.
 */
final class RegionsConsole {

    /** What can be typed. */
    enum Command {
        ADD_REGION("add-region", "add the next region while the others run (up to " + LocalRegions.MAX_REGIONS
                + " regions): its platform, its MirrorMaker, the catalog, the demo stock; then its addresses"),
        HELP("help", "list these commands");

        private final String typed;
        private final String description;

        Command(String typed, String description) {
            this.typed = typed;
            this.description = description;
        }

        String typed() {
            return typed;
        }

        /**
         * The command on this line (case and surrounding blanks ignored), or null for a blank line.
         *
         * @throws IllegalArgumentException naming the line and the commands there are
         */
        static Command parse(String line) {
            String typed = line.strip().toLowerCase(Locale.ROOT);
            if (typed.isEmpty()) {
                return null;
            }
            return Arrays.stream(values()).filter(command -> command.typed.equals(typed)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Unknown command \"" + line.strip() + "\": "
                            + Arrays.stream(values()).map(Command::typed).collect(Collectors.joining(" or "))
                            + "; Ctrl-C stops all regions."));
        }
    }

    /** What the commands do. */
    interface Actions {

        /** Adds the next region and says how to use it; says why not when it cannot. */
        void addRegion();
    }

    private final BufferedReader input;
    private final PrintStream output;
    private final Actions actions;

    RegionsConsole(BufferedReader input, PrintStream output, Actions actions) {
        this.input = input;
        this.output = output;
        this.actions = actions;
    }

    /** The commands, one a line, as {@code help} prints them. */
    static String help() {
        return Arrays.stream(Command.values()).map(command -> String.format("  %-12s %s%n", command.typed, command.description))
                .collect(Collectors.joining()) + String.format("  %-12s %s%n", "Ctrl-C", "stop all regions");
    }

    /** Reads and carries out commands until the input ends. */
    void run() {
        try {
            String line;
            while ((line = input.readLine()) != null) {
                Command command;
                try {
                    command = Command.parse(line);
                } catch (IllegalArgumentException unknown) {
                    output.println(unknown.getMessage());
                    continue;
                }
                if (command == Command.ADD_REGION) {
                    actions.addRegion();
                } else if (command == Command.HELP) {
                    output.print(help());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading commands", e);
        }
    }
}
