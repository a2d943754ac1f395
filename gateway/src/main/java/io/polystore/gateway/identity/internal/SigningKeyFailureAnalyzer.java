package io.polystore.gateway.identity.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says what to configure when the gateway has no usable signing key. */
class SigningKeyFailureAnalyzer extends AbstractFailureAnalyzer<SigningKeyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SigningKeyException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Give the gateway its signing key: polystore.identity.signing-keys[0].id plus one of "
                        + ".pem (a PKCS#8 private key), .jwk or .location (file:/run/secrets/signing-key.pem), e.g. "
                        + "POLYSTORE_IDENTITY_SIGNINGKEYS_0_ID and POLYSTORE_IDENTITY_SIGNINGKEYS_0_LOCATION. "
                        + "For local development, start with the 'local' profile, which generates a key in .polystore/. "
                        + "To trust another issuer instead, set polystore.identity.external-issuer-uri.",
                cause);
    }
}
