package io.polystore.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void namesOneDeadLetterTopicPerConsumerGroup() {
        assertThat(Topics.deadLetter("order-service")).isEqualTo("order-service.dlt");
    }

    @Test
    void rejectsABlankConsumerGroup() {
        assertThatIllegalArgumentException().isThrownBy(() -> Topics.deadLetter(" "))
                .withMessage("consumerGroup must not be blank");
    }

    @Test
    void matchesATopicMirroredFromAnyRegionOnly() {
        java.util.regex.Pattern transfers = java.util.regex.Pattern.compile(Topics.mirroredFromAnyRegion(Topics.CATALOG_TRANSFERS));
        assertThat(transfers.matcher(Topics.mirrored("region-3", Topics.CATALOG_TRANSFERS)).matches()).isTrue();
        assertThat(transfers.matcher("eu-west.catalog.transfers").matches()).isTrue();
        assertThat(transfers.matcher(Topics.CATALOG_TRANSFERS).matches()).as("the own topic").isFalse();
        assertThat(transfers.matcher("region-1.region-2.catalog.transfers").matches()).as("mirrored twice").isFalse();
        assertThat(transfers.matcher("region-3.catalogXtransfers").matches()).as("dots are dots").isFalse();
        assertThat(transfers.matcher("region-3.catalog.transfers.dlt").matches()).isFalse();
    }
}
