package io.polystore.surrealdb.autoconfigure;

import io.polystore.surrealdb.migration.Migration;
import io.polystore.surrealdb.migration.SchemaMigrationException;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The {@code *.surql} migrations found in the configured locations (classpath or file system). */
final class ClasspathMigrations {

    private ClasspathMigrations() {
    }

    static List<Migration> load(ResourcePatternResolver resolver, List<String> locations) {
        List<Migration> migrations = new ArrayList<>();
        for (String location : locations) {
            String pattern = (location.startsWith("classpath:") ? "classpath*:" + location.substring("classpath:".length()) : location)
                    .replaceAll("/+$", "") + "/*.surql";
            try {
                for (Resource resource : resolver.getResources(pattern)) {
                    String script = resource.getContentAsString(StandardCharsets.UTF_8);
                    migrations.add(Migration.fromFile(resource.getFilename(), script, location + "/" + resource.getFilename()));
                }
            } catch (IOException e) {
                throw new SchemaMigrationException("Cannot read SurrealDB migrations from " + location + ": " + e.getMessage(), e);
            }
        }
        return migrations;
    }
}
