package io.polystore.order.saga;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Polls for sagas past their deadline on every replica; each due saga is handled by exactly one of them. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SagaDeadlines implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SagaDeadlines.class);

    private final OrderPlacementSaga saga;
    private final SagaProperties properties;

    SagaDeadlines(OrderPlacementSaga saga, SagaProperties properties) {
        this.saga = saga;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::handleDue, properties.deadlinePollInterval());
    }

    void handleDue() {
        try {
            // One short transaction per saga: locks are held briefly and a failure undoes only that saga's step.
            for (int handled = 0; handled < properties.deadlineBatchSize() && saga.handleNextDeadline(); handled++) {
                log.debug("Handled a saga deadline");
            }
        } catch (RuntimeException e) {
            log.warn("Handling saga deadlines failed; retrying on the next poll", e);
        }
    }
}
