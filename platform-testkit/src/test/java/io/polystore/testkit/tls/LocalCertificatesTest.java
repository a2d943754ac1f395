package io.polystore.testkit.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalCertificatesTest {

    @TempDir
    Path directory;

    @Test
    void issuesAHostCertificateForThisMachineSignedByTheLocalCa() throws Exception {
        LocalCertificates certificates = LocalCertificates.in(directory);

        X509Certificate ca = read(certificates.caCertificate());
        X509Certificate host = read(certificates.certificate());
        host.verify(ca.getPublicKey());
        host.checkValidity();
        assertThat(ca.getBasicConstraints()).isZero();
        assertThat(host.getBasicConstraints()).isEqualTo(-1);
        assertThat(host.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                .containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(host.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(Files.getPosixFilePermissions(certificates.privateKey()))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(Files.readString(certificates.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----\n");
    }

    @Test
    void keepsTheCaAndCertificateAcrossStarts() throws Exception {
        LocalCertificates first = LocalCertificates.in(directory);
        List<byte[]> before = List.of(Files.readAllBytes(first.caCertificate()), Files.readAllBytes(first.certificate()));

        LocalCertificates second = LocalCertificates.in(directory);

        assertThat(List.of(Files.readAllBytes(second.caCertificate()), Files.readAllBytes(second.certificate())))
                .containsExactlyElementsOf(before);
    }

    @Test
    void aCertificateOfAnotherCaDoesNotVerify() throws Exception {
        X509Certificate host = read(LocalCertificates.in(directory.resolve("one")).certificate());
        X509Certificate otherCa = read(LocalCertificates.in(directory.resolve("two")).caCertificate());

        assertThatThrownBy(() -> host.verify(otherCa.getPublicKey())).isInstanceOf(SignatureException.class);
    }

    private static X509Certificate read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
