package io.polystore.deployment.support;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Gets a person's access token from the gateway the way Swagger UI does: authorization code with PKCE for the public
 * client {@code swagger-ui}, signing in on the gateway's sign-in page with a username and password.
 */
public final class GatewaySignIn {

    /** The client and redirect URI that the demo identity registers for Swagger UI. */
    private static final String CLIENT = "swagger-ui";
    private static final String REDIRECT_URI = "http://localhost:8080/swagger-ui/oauth2-redirect.html";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");
    private static final JsonMapper json = JsonMapper.builder().build();

    private GatewaySignIn() {
    }

    /** @throws IllegalStateException naming the step at which the gateway did not answer as expected */
    public static String accessToken(URI gateway, String username, String password) {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);

        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", CLIENT);
        query.put("scope", "openid");
        query.put("state", "deployment-tests");
        query.put("redirect_uri", REDIRECT_URI);
        query.put("code_challenge", challenge(verifier));
        query.put("code_challenge_method", "S256");
        HttpResponse<String> authorize = send(browser, get(gateway.resolve("/oauth2/authorize?" + form(query))), 302, "authorize");
        HttpResponse<String> loginPage = send(browser, get(location(gateway, authorize)), 200, "sign-in page");
        Matcher csrf = CSRF.matcher(loginPage.body());
        if (!csrf.find()) {
            throw new IllegalStateException("The sign-in page has no CSRF token: " + loginPage.body());
        }
        HttpResponse<String> signedIn = send(browser, post(gateway.resolve("/login"),
                Map.of("username", username, "password", password, "_csrf", csrf.group(1))), 302, "sign in as " + username);
        URI back = location(gateway, signedIn);
        if (!back.getPath().equals("/oauth2/authorize")) {
            throw new IllegalStateException("Signing in as " + username + " sent to " + back + ", not back to /oauth2/authorize");
        }
        URI callback = location(gateway, send(browser, get(back), 302, "authorize after sign-in"));
        String code = parameters(callback.getRawQuery()).get("code");
        if (code == null) {
            throw new IllegalStateException("The gateway sent no code to " + callback);
        }
        HttpResponse<String> token = send(browser, post(gateway.resolve("/oauth2/token"), Map.of("grant_type", "authorization_code",
                "client_id", CLIENT, "code", code, "redirect_uri", REDIRECT_URI, "code_verifier", verifier)), 200, "token");
        return json.readTree(token.body()).path("access_token").asString();
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Accept", "text/html").GET().build();
    }

    private static HttpRequest post(URI uri, Map<String, String> body) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(body))).build();
    }

    private static HttpResponse<String> send(HttpClient browser, HttpRequest request, int expected, String step) {
        try {
            HttpResponse<String> response = browser.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(step + ": " + request.method() + " " + request.uri() + " answered "
                        + response.statusCode() + " " + response.headers().map() + " " + response.body());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(step + ": " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted at " + step, e);
        }
    }

    private static URI location(URI gateway, HttpResponse<String> response) {
        return gateway.resolve(response.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("No Location from " + response.uri())));
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(pair.substring(0, equals), java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }
}
