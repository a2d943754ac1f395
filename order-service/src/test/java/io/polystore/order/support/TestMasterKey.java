package io.polystore.order.support;

/** A fixed master keyset for tests only, so that a restarted application still reads the data it sealed. */
public final class TestMasterKey {

    public static final String BASE64 = "eyJwcmltYXJ5S2V5SWQiOjg2ODc5Nzc2Nywia2V5IjpbeyJrZXlEYXRhIjp7InR5cGVVcmwiOiJ0eXBlLmdvb2dsZWFwaXMuY29tL2dvb2dsZS5jcnlwdG8udGluay5BZXNHY21LZXkiLCJ2YWx1ZSI6IkdpQ0tXQi9qZ2JtVnE4b1Q0alJTZytsOEhDZ3o2dGZvenJuMkppZXkrelFBZ3c9PSIsImtleU1hdGVyaWFsVHlwZSI6IlNZTU1FVFJJQyJ9LCJzdGF0dXMiOiJFTkFCTEVEIiwia2V5SWQiOjg2ODc5Nzc2Nywib3V0cHV0UHJlZml4VHlwZSI6IlRJTksifV19Cg==";

    private TestMasterKey() {
    }
}
