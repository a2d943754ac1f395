package io.polystore.testkit.platform;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionsConsoleTest {

    @Test
    void addRegionAndHelpAreReadWhateverTheirCaseAndBlanksAndABlankLineIsNothing() {
        assertThat(RegionsConsole.Command.parse("add-region")).isEqualTo(RegionsConsole.Command.ADD_REGION);
        assertThat(RegionsConsole.Command.parse("  Add-Region \t")).isEqualTo(RegionsConsole.Command.ADD_REGION);
        assertThat(RegionsConsole.Command.parse("HELP")).isEqualTo(RegionsConsole.Command.HELP);
        assertThat(RegionsConsole.Command.parse("   ")).isNull();
    }

    @Test
    void anUnknownCommandIsNamedWithTheCommandsThereAre() {
        assertThatThrownBy(() -> RegionsConsole.Command.parse(" add region "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown command \"add region\": add-region or help; Ctrl-C stops all regions.");
    }

    @Test
    void eachCommandIsCarriedOutInTurnAndAMistypedOneChangesNothingUntilTheInputEnds() {
        AtomicInteger added = new AtomicInteger();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        RegionsConsole console = new RegionsConsole(new BufferedReader(new StringReader("help\nadd-regoin\n\nadd-region\nadd-region\n")),
                new PrintStream(printed, true, StandardCharsets.UTF_8), added::incrementAndGet);

        console.run();

        assertThat(added).hasValue(2);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .isEqualTo(RegionsConsole.help() + "Unknown command \"add-regoin\": add-region or help; Ctrl-C stops all regions."
                        + System.lineSeparator())
                .contains("  add-region   add the next region while the others run (up to 3 regions)")
                .contains("  Ctrl-C       stop all regions");
    }
}
