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
}
