package io.polystore.catalog.internal;

import io.polystore.servicedefaults.openapi.ProblemResponsesCustomizer;
import io.polystore.servicedefaults.region.RegionProperties;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.aopalliance.intercept.MethodInterceptor;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;

/**
 * The one rule for changes of the global catalog: made only in the catalog region ({@code polystore.region.catalog-region}).
 * Every {@link GlobalCatalogWrite} endpoint is advised to throw {@link CatalogWrittenElsewhereException} in any other
 * region.
 * The advice runs last, inside the method security that checks the caller's role, so a customer still gets 403 and a
 * manager in a replica region 409; nothing has been read or written by then. The same marker documents the 409.
 */
@Configuration(proxyBeanMethods = false)
public class GlobalCatalogWrites {

    private static final String CONFLICT = "409";
    private static final String REPLICA_REFUSAL = "this region holds a replica of the catalog, which is changed only where"
            + " it is written: the problem's catalogRegion names that region";

    /** Infrastructure, as method security's own advisors, so that the auto-proxy creator that applies them sees it. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor globalCatalogWriteAdvisor(ObjectProvider<RegionProperties> region) {
        MethodInterceptor refuseInReplica = invocation -> {
            RegionProperties here = region.getObject();
            if (!here.writesCatalog()) {
                throw new CatalogWrittenElsewhereException(here.name(), here.catalogRegion());
            }
            return invocation.proceed();
        };
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
                AnnotationMatchingPointcut.forMethodAnnotation(GlobalCatalogWrite.class), refuseInReplica);
        advisor.setOrder(Ordered.LOWEST_PRECEDENCE);
        return advisor;
    }

    @Bean
    GlobalOperationCustomizer globalCatalogWriteConflict() {
        return (operation, handlerMethod) -> {
            if (handlerMethod.hasMethodAnnotation(GlobalCatalogWrite.class)) {
                ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
                ApiResponse conflict = responses.get(CONFLICT);
                if (conflict == null) {
                    responses.addApiResponse(CONFLICT, new ApiResponse()
                            .description(Character.toUpperCase(REPLICA_REFUSAL.charAt(0)) + REPLICA_REFUSAL.substring(1))
                            .content(problem()));
                } else {
                    conflict.description(conflict.getDescription() + "; or " + REPLICA_REFUSAL);
                }
                operation.setResponses(responses);
            }
            return operation;
        };
    }

    private static Content problem() {
        return new Content().addMediaType(ProblemResponsesCustomizer.PROBLEM_MEDIA_TYPE, new MediaType()
                .schema(new JsonSchema().$ref("#/components/schemas/" + ProblemResponsesCustomizer.PROBLEM_SCHEMA)));
    }
}
