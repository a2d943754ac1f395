package io.polystore.audit.chain;

import tools.jackson.databind.json.JsonMapper;

/** The personal data of one record: what its ciphertext holds. */
public record PersonalData(String actor, String subject, String clientAddress) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public byte[] toJson() {
        return JSON.writeValueAsBytes(this);
    }

    public static PersonalData fromJson(byte[] json) {
        return JSON.readValue(json, PersonalData.class);
    }
}
