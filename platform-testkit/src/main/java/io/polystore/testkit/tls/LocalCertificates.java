package io.polystore.testkit.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A certificate authority of this machine and the certificate it issued for this host ({@code localhost},
 * {@code 127.0.0.1}, {@code ::1}), as PEM files in one directory: made on first use and kept, so that a CA the user
 * trusted stays trusted across starts. Every server of the local platform (the services, PostgreSQL, Kafka, SurrealDB)
 * presents the host's certificate, and every client trusts the CA alone. Keys are EC P-256, the private key PKCS#8
 * and readable by its owner only (PostgreSQL insists).
 */
public final class LocalCertificates {

    public static final String CA_FILE = "ca.crt";
    public static final String CERTIFICATE_FILE = "localhost.crt";
    public static final String PRIVATE_KEY_FILE = "localhost.key";

    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(397);
    /** A certificate closer than this to its end is issued anew at the next start. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final X509Certificate ca;

    private LocalCertificates(Path directory, X509Certificate ca) {
        this.directory = directory;
        this.ca = ca;
    }

    /**
     * The CA and host certificate in {@code directory}: those already there while valid for another 30 days, else
     * new ones (a new host certificate from the kept CA when only it runs out).
     */
    public static LocalCertificates in(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            Path caFile = dir.resolve(CA_FILE);
            Path caKeyFile = dir.resolve("ca.key");
            if (!usable(caFile) || !Files.isRegularFile(caKeyFile)) {
                KeyPair caKeys = newKeyPair();
                X509Certificate ca = issueCa(caKeys);
                writePem(caKeyFile, "PRIVATE KEY", caKeys.getPrivate().getEncoded(), true);
                writePem(caFile, "CERTIFICATE", ca.getEncoded(), false);
                Files.deleteIfExists(dir.resolve(CERTIFICATE_FILE));
            }
            X509Certificate ca = readCertificate(caFile);
            if (!usable(dir.resolve(CERTIFICATE_FILE)) || !Files.isRegularFile(dir.resolve(PRIVATE_KEY_FILE))) {
                KeyPair hostKeys = newKeyPair();
                X509Certificate host = issueHost(hostKeys, ca, readPrivateKey(caKeyFile));
                writePem(dir.resolve(PRIVATE_KEY_FILE), "PRIVATE KEY", hostKeys.getPrivate().getEncoded(), true);
                writePem(dir.resolve(CERTIFICATE_FILE), "CERTIFICATE", host.getEncoded(), false);
            }
            return new LocalCertificates(dir, ca);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make the local certificates in " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot make the local certificates in " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** The CA's certificate, which clients trust: {@code curl --cacert <this>}. */
    public Path caCertificate() {
        return directory.resolve(CA_FILE);
    }

    /** This host's certificate, which every local server presents. */
    public Path certificate() {
        return directory.resolve(CERTIFICATE_FILE);
    }

    /** The host certificate's private key, PKCS#8 PEM. */
    public Path privateKey() {
        return directory.resolve(PRIVATE_KEY_FILE);
    }

    /** A TLS context that trusts this CA and nothing else, for clients in tests and the launcher. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("polystore-local-ca", ca);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), RANDOM);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot make a TLS context trusting " + caCertificate(), e);
        }
    }

    /**
     * Spring Boot's PEM SSL bundle {@code name}, as properties: this host's certificate and key (for a server) and
     * the CA as the only trusted certificate (for clients).
     */
    public Map<String, String> springBundle(String name) {
        String prefix = "spring.ssl.bundle.pem." + name + ".";
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put(prefix + "keystore.certificate", certificate().toString());
        bundle.put(prefix + "keystore.private-key", privateKey().toString());
        bundle.put(prefix + "truststore.certificate", caCertificate().toString());
        return bundle;
    }

    /** The PostgreSQL JDBC driver's parameters for a verified connection: {@code sslmode=verify-full&sslrootcert=...}. */
    public String jdbcParameters() {
        return "sslmode=verify-full&sslrootcert=" + caCertificate();
    }

    private static boolean usable(Path certificateFile) throws IOException {
        if (!Files.isRegularFile(certificateFile)) {
            return false;
        }
        try {
            Instant end = readCertificate(certificateFile).getNotAfter().toInstant();
            return end.isAfter(Instant.now().plus(RENEW_BEFORE));
        } catch (CertificateException e) {
            return false;
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate issueCa(KeyPair keys) throws GeneralSecurityException, OperatorCreationException, CertIOException {
        X500Name name = new X500Name("CN=Polystore local CA " + Instant.now().getEpochSecond() + ",O=Polystore");
        Instant now = Instant.now();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
        return sign(builder, keys.getPrivate());
    }

    private static X509Certificate issueHost(KeyPair keys, X509Certificate ca, PrivateKey caKey)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        Instant now = Instant.now();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        GeneralNames names = new GeneralNames(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")).toArray(GeneralName[]::new));
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CERTIFICATE_VALIDITY)),
                new X500Name("CN=localhost,O=Polystore"), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.subjectAlternativeName, false, names)
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
        return sign(builder, caKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, CertificateException {
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static void writePem(Path file, String type, byte[] der, boolean secret) throws IOException {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        if (secret) {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static X509Certificate readCertificate(Path file) throws IOException, CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(file, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
