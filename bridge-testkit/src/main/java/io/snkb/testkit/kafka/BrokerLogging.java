package io.snkb.testkit.kafka;

import java.lang.reflect.Method;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the broker's loggers down to WARN, because a KRaft broker logs hundreds of INFO lines while it
 * starts. Only logback can be adjusted at run time through SLF4J, so with another binding this does
 * nothing; logback is reached by reflection so that the testkit does not depend on it. A logger that the
 * application configured itself (its level is set) is left alone. Thread-safe.
 */
final class BrokerLogging {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerLogging.class);

    /**
     * Server-side logger roots. Client packages ({@code org.apache.kafka.clients}, {@code .common}) are
     * not listed: they are shared with the application's own producers and consumers.
     */
    private static final List<String> BROKER_LOGGERS = List.of(
        "kafka", "state.change.logger",
        "org.apache.kafka.controller", "org.apache.kafka.coordinator", "org.apache.kafka.image",
        "org.apache.kafka.metadata", "org.apache.kafka.queue", "org.apache.kafka.raft",
        "org.apache.kafka.security", "org.apache.kafka.server", "org.apache.kafka.snapshot",
        "org.apache.kafka.storage");

    private static final String LOGBACK_LOGGER = "ch.qos.logback.classic.Logger";
    private static final String LOGBACK_LEVEL = "ch.qos.logback.classic.Level";

    private BrokerLogging() {
    }

    static void quietBrokerLoggers() {
        for (String name : BROKER_LOGGERS) {
            Logger logger = LoggerFactory.getLogger(name);
            if (!logger.getClass().getName().equals(LOGBACK_LOGGER)) {
                return;
            }
            warnUnlessConfigured(logger);
        }
    }

    private static void warnUnlessConfigured(Logger logger) {
        try {
            Class<?> loggerClass = logger.getClass();
            if (loggerClass.getMethod("getLevel").invoke(logger) != null) {
                return;
            }
            Class<?> levelClass = Class.forName(LOGBACK_LEVEL, true, loggerClass.getClassLoader());
            Method setLevel = loggerClass.getMethod("setLevel", levelClass);
            setLevel.invoke(logger, levelClass.getField("WARN").get(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.debug("Cannot adjust the level of logger {}; broker logs stay as configured", logger.getName(), e);
        }
    }
}
