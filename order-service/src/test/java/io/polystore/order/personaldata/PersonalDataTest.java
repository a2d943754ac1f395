package io.polystore.order.personaldata;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PersonalDataTest {

    @Test
    void maskingKeepsOnlyWhatHelpsToRecogniseTheData() {
        PersonalData data = new PersonalData("Alice Example", "alice@example.com", "+49 30 1234567",
                new PersonalData.Address("Hauptstrasse 1", "Hinterhaus", "10115", "Berlin", "DE"));

        PersonalData masked = data.masked();

        assertThat(masked).isEqualTo(new PersonalData("A***", "a***@example.com", "***67",
                new PersonalData.Address("***", "***", "***", "Berlin", "DE")));
    }

    @Test
    void shortOrOddValuesAreMaskedWhole() {
        PersonalData masked = new PersonalData("", "no-at-sign", "12",
                new PersonalData.Address("x", null, "1", "C", "DE")).masked();

        assertThat(masked.name()).isEqualTo("***");
        assertThat(masked.email()).isEqualTo("***");
        assertThat(masked.phone()).isEqualTo("***");
        assertThat(masked.shippingAddress().line2()).isNull();
    }
}
