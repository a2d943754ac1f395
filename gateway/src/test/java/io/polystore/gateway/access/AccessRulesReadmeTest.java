package io.polystore.gateway.access;

import io.polystore.gateway.Role;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpMethod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's table of role rules is the rules of application.yml, in their order. */
class AccessRulesReadmeTest {

    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    /** What a rule says, in the README's terms: methods, paths, and who (anyone, or the roles). */
    record Row(List<String> methods, List<String> paths, Set<String> who) {
    }

    @Test
    void theReadmeTableListsTheConfiguredRulesInOrder() throws IOException {
        assertThat(readmeRows()).containsExactlyElementsOf(configuredRows());
    }

    private static List<Row> configuredRows() throws IOException {
        var environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);
        AccessProperties access = new Binder(ConfigurationPropertySources.get(environment))
                .bind("polystore.gateway.access", AccessProperties.class).get();
        return access.rules().stream().map(rule -> new Row(
                rule.methods().stream().map(HttpMethod::name).toList(),
                rule.paths(),
                rule.anonymous() ? Set.of("anyone") : rule.roles().stream().map(Role::name).collect(Collectors.toSet())))
                .toList();
    }

    private static List<Row> readmeRows() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Role rules"));
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : section.lines().toList()) {
            if (line.startsWith("| methods | paths | who |")) {
                inTable = true;
            } else if (inTable && line.startsWith("| ---")) {
                continue;
            } else if (inTable && line.startsWith("|")) {
                String[] cells = line.split("\\|");
                List<String> paths = new ArrayList<>();
                Matcher path = BACKTICKED.matcher(cells[2]);
                while (path.find()) {
                    paths.add(path.group(1));
                }
                String who = cells[3].strip().replaceAll("\\s*\\(.*", "");
                rows.add(new Row(Arrays.stream(cells[1].strip().split(",\\s*")).toList(), paths,
                        who.equals("anyone") ? Set.of("anyone") : Set.of(who.split(",\\s*"))));
            } else if (inTable) {
                break;
            }
        }
        return rows;
    }
}
