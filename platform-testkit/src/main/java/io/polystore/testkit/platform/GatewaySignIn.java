package io.polystore.testkit.platform;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
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
 * Gets a person's tokens from the gateway as a browser does: the authorization code flow with PKCE, signing in on the
 * gateway's sign-in page with a username and password. Client credentials are for machines; this is how people,
 * Swagger UI and web applications get theirs.
 */
public final class GatewaySignIn {

    /** The public client the demo identity registers for Swagger UI. */
    public static final String SWAGGER_UI = "swagger-ui";
    /**
     * Its redirect URI for a gateway at http://localhost:8080, as ./polystore, compose and the Helm chart by default
     * register it. The code is read from the redirect, never followed, so the gateway may run on any port.
     */
    public static final String SWAGGER_UI_REDIRECT = "http://localhost:8080/swagger-ui/oauth2-redirect.html";

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private GatewaySignIn() {
    }

    /**
     * A person's access token, through Swagger UI's client.
     *
     * @throws IllegalStateException naming the step at which the gateway did not answer as expected
     */
    public static String accessToken(URI gateway, String username, String password) {
        String verifier = codeVerifier();
        String code = authorizationCode(gateway, username, password, SWAGGER_UI, SWAGGER_UI_REDIRECT, "openid", verifier);
        HttpResponse<String> token = send(HttpClient.newHttpClient(), post(gateway.resolve("/oauth2/token"), Map.of(
                "grant_type", "authorization_code", "client_id", SWAGGER_UI, "code", code,
                "redirect_uri", SWAGGER_UI_REDIRECT, "code_verifier", verifier)), 200, "token");
        return JSON.readTree(token.body()).path("access_token").asString();
    }

    /**
     * The browser's part of the flow: authorize, be sent to the sign-in page, sign in, come back to authorize and be
     * redirected with a code. The client then exchanges the code for tokens with {@code codeVerifier}.
     */
    public static String authorizationCode(URI gateway, String username, String password, String clientId,
                                           String redirectUri, String scope, String codeVerifier) {
        HttpClient browser = browser();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("scope", scope);
        query.put("state", "sign-in");
        query.put("redirect_uri", redirectUri);
        query.put("code_challenge", challenge(codeVerifier));
        query.put("code_challenge_method", "S256");
        HttpResponse<String> authorize = send(browser, get(gateway.resolve("/oauth2/authorize?" + form(query))), 302, "authorize");
        HttpResponse<String> loginPage = send(browser, get(location(gateway, authorize)), 200, "sign-in page");
        URI back = signIn(browser, gateway, loginPage, username, password);
        if (!back.getPath().equals("/oauth2/authorize")) {
            throw new IllegalStateException("Signing in as " + username + " sent to " + back + ", not back to /oauth2/authorize");
        }
        URI callback = location(gateway, send(browser, get(back), 302, "authorize after sign-in"));
        String code = parameters(callback.getRawQuery()).get("code");
        if (code == null || !callback.toString().startsWith(redirectUri)) {
            throw new IllegalStateException("The gateway sent no code to " + redirectUri + " but went to " + callback);
        }
        return code;
    }

    /**
     * Signs in on the sign-in page as a person would whose sign-in fails, and answers the text of the page the
     * gateway then shows, which says why.
     *
     * @throws IllegalStateException when the sign-in did not fail
     */
    public static String failedSignInPage(URI gateway, String username, String password) {
        HttpClient browser = browser();
        HttpResponse<String> loginPage = send(browser, get(gateway.resolve("/login")), 200, "sign-in page");
        URI back = signIn(browser, gateway, loginPage, username, password);
        if (back.getRawQuery() == null || !back.getRawQuery().contains("error")) {
            throw new IllegalStateException("Signing in as " + username + " did not fail: it sent to " + back);
        }
        return send(browser, get(back), 200, "sign-in page after failing").body();
    }

    /** The CSRF token of a sign-in page, which its form must send back. */
    public static String csrfToken(HttpResponse<String> loginPage) {
        Matcher csrf = CSRF.matcher(loginPage.body());
        if (!csrf.find()) {
            throw new IllegalStateException("The sign-in page has no CSRF token: " + loginPage.body());
        }
        return csrf.group(1);
    }

    /** A fresh PKCE code verifier. */
    public static String codeVerifier() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The S256 challenge of a verifier. */
    public static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Form encoding, as a browser sends a form and an authorization request's query. */
    public static String form(Map<String, String> values) {
        return values.entrySet().stream().map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Posts the sign-in form; answers where the gateway sends the browser next. */
    private static URI signIn(HttpClient browser, URI gateway, HttpResponse<String> loginPage, String username,
                              String password) {
        HttpResponse<String> signedIn = send(browser, post(gateway.resolve("/login"), Map.of("username", username,
                "password", password, "_csrf", csrfToken(loginPage))), 302, "sign in as " + username);
        return location(gateway, signedIn);
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

    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }
}
