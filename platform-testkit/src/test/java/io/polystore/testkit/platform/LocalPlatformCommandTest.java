package io.polystore.testkit.platform;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalPlatformCommandTest {

    @Test
    void theRegionsRunningAreNamedAsASentenceNamesThem() {
        assertThat(LocalPlatformCommand.regionsBefore(2)).isEqualTo("region-1");
        assertThat(LocalPlatformCommand.regionsBefore(3)).isEqualTo("region-1 and region-2");
        assertThat(LocalPlatformCommand.regionsBefore(4)).isEqualTo("region-1, region-2 and region-3");
    }
}
