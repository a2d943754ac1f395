import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The images' health check: GETs a Spring Boot health endpoint of the service in this container and exits 0 when it
 * answers 200, else 1. It exists because the runtime image has no shell and no curl. The port is the service's
 * SERVER_PORT, set in the image; the path is the first argument, the liveness probe by default.
 */
public final class HealthProbe {

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("SERVER_PORT", "8080");
        String path = args.length > 0 ? args[0] : "/actuator/health/liveness";
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(2_000);
            connection.setReadTimeout(3_000);
            int status = connection.getResponseCode();
            System.out.println(uri + " answered " + status);
            System.exit(status == 200 ? 0 : 1);
        } catch (IOException e) {
            System.out.println(uri + " failed: " + e);
            System.exit(1);
        }
    }
}
