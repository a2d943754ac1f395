package io.polystore.gateway.identity;

import io.polystore.gateway.ConditionalOnEmbeddedIssuer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.HtmlUtils;

/**
 * The page where people sign in for the authorization code flow. It replaces Spring's default page, which says
 * "Invalid credentials" whatever happened: a person whose account is locked after failed sign-ins reads so here, and
 * until when.
 */
@Controller
@ConditionalOnEmbeddedIssuer
class SignInPage {

    static final String PATH = "/login";

    @GetMapping(path = PATH, produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String page(HttpServletRequest request) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        String message = "";
        if (request.getParameter("error") != null) {
            message = alert("error", failure(request.getSession(false)));
        } else if (request.getParameter("logout") != null) {
            message = alert("info", "You have signed out.");
        }
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>Sign in to Polystore</title>
                  <style>
                    body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; }
                    main { max-width: 24rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: .5rem;
                           box-shadow: 0 1px 4px rgba(0, 0, 0, .15); }
                    h1 { font-size: 1.4rem; margin-top: 0; }
                    label { display: block; margin: 1rem 0 .3rem; }
                    input[type=text], input[type=password] { width: 100%%; box-sizing: border-box; padding: .6rem;
                           font-size: 1rem; border: 1px solid #bbb; border-radius: .3rem; }
                    button { margin-top: 1.5rem; width: 100%%; padding: .7rem; font-size: 1rem; border: 0;
                           border-radius: .3rem; background: #2457a7; color: #fff; cursor: pointer; }
                    .error, .info { padding: .8rem; border-radius: .3rem; margin-bottom: 1rem; }
                    .error { background: #fde8e8; color: #8a1c1c; border: 1px solid #f3b4b4; }
                    .info { background: #e8f1fd; color: #1c3f8a; border: 1px solid #b4cdf3; }
                  </style>
                </head>
                <body>
                <main>
                  <h1>Sign in to Polystore</h1>
                  %s
                  <form method="post" action="%s">
                    <label for="username">Username</label>
                    <input type="text" id="username" name="username" autocomplete="username" required autofocus>
                    <label for="password">Password</label>
                    <input type="password" id="password" name="password" autocomplete="current-password" required>
                    <input name="%s" type="hidden" value="%s">
                    <button type="submit">Sign in</button>
                  </form>
                </main>
                </body>
                </html>
                """.formatted(message, PATH, HtmlUtils.htmlEscape(csrf.getParameterName()), HtmlUtils.htmlEscape(csrf.getToken()));
    }

    /** Why the last sign-in failed, as the person needs to know it; never which of username or password was wrong. */
    private static String failure(HttpSession session) {
        Object failure = session == null ? null : session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        return switch (failure) {
            case LockedException locked -> locked.getMessage();
            case BadCredentialsException ignored -> "The username or password is not right.";
            case null, default -> "Signing in did not work; please try again.";
        };
    }

    private static String alert(String kind, String text) {
        return "<p class=\"" + kind + "\" role=\"alert\">" + HtmlUtils.htmlEscape(text) + "</p>";
    }
}
