import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * The images' health check: GETs a Spring Boot health endpoint of the service in this container and exits 0 when it
 * answers 200, else 1. It exists because the runtime image has no shell and no curl. The port is the service's
 * SERVER_PORT, set in the image; the path is the first argument, the liveness probe by default. A service serving
 * HTTPS (POLYSTORE_TLS_BUNDLE or SERVER_SSL_BUNDLE set) is probed over HTTPS without checking its certificate, as
 * the kubelet's HTTPS probes do: the probe talks to its own container over loopback and sends nothing secret.
 */
public final class HealthProbe {

    public static void main(String[] args) {
        Map<String, String> environment = System.getenv();
        String port = environment.getOrDefault("SERVER_PORT", "8080");
        String path = args.length > 0 ? args[0] : "/actuator/health/liveness";
        boolean https = !"false".equalsIgnoreCase(environment.getOrDefault("SERVER_SSL_ENABLED", "true"))
                && (hasText(environment.get("POLYSTORE_TLS_BUNDLE")) || hasText(environment.get("SERVER_SSL_BUNDLE")));
        URI uri = URI.create((https ? "https" : "http") + "://127.0.0.1:" + port + path);
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            if (connection instanceof HttpsURLConnection tls) {
                tls.setSSLSocketFactory(anyCertificate().getSocketFactory());
                tls.setHostnameVerifier((host, session) -> true);
            }
            connection.setConnectTimeout(2_000);
            connection.setReadTimeout(3_000);
            int status = connection.getResponseCode();
            System.out.println(uri + " answered " + status);
            System.exit(status == 200 ? 0 : 1);
        } catch (IOException | GeneralSecurityException e) {
            System.out.println(uri + " failed: " + e);
            System.exit(1);
        }
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    private static SSLContext anyCertificate() throws GeneralSecurityException {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{trustAll}, null);
        return context;
    }
}
