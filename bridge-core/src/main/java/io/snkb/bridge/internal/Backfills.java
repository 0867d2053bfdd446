package io.snkb.bridge.internal;

import io.snkb.bridge.config.BridgeConfig;
import io.snkb.bridge.config.InstanceConfig;
import io.snkb.bridge.config.TableConfig;
import io.snkb.bridge.internal.auth.TokenProviders;
import io.snkb.bridge.internal.metrics.ApiMetrics;
import io.snkb.bridge.internal.offsets.OffsetStores;
import io.snkb.bridge.internal.serde.DebeziumJsonSerializer;
import io.snkb.bridge.internal.servicenow.InstanceHttpClient;
import io.snkb.bridge.internal.servicenow.KeysetQueries;
import io.snkb.bridge.internal.servicenow.ServiceNowClient;
import io.snkb.bridge.internal.servicenow.SessionZone;
import io.snkb.bridge.internal.source.BackfillJob;
import io.snkb.bridge.internal.source.BackfillPlan;
import io.snkb.bridge.spi.OffsetStore;
import io.snkb.bridge.spi.Serializer;
import io.snkb.bridge.spi.TokenProvider;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;

/**
 * Assembles a {@link BackfillJob} from the configuration, with the same defaults as the engine.
 *
 * <p>A backfill keeps its positions apart from the engine's (see {@link OffsetStores#forBackfill}), so that it
 * can run while {@code snkb run} polls the same table. Stateless and thread-safe.
 */
public final class Backfills {

    private Backfills() {
    }

    /**
     * The job copying {@code table} of {@code instance}. {@code null} SPIs get the configured defaults.
     * Throws {@link IllegalArgumentException} when the instance or table is not configured, or a query is
     * unusable.
     */
    public static BackfillJob create(BridgeConfig config, String instance, String table, Instant from,
                                     Instant to, String query, OffsetStore store, TokenProvider tokens,
                                     Serializer serializer, Clock clock, EngineOptions options) {
        InstanceConfig instanceConfig = config.instance(instance).orElseThrow(() -> new IllegalArgumentException(
                "No instance '" + instance + "' in the configuration"));
        TableConfig tableConfig = instanceConfig.table(table).orElseThrow(() -> new IllegalArgumentException(
                "Table '" + table + "' is not configured for instance '" + instance + "'; add it to the instance's "
                        + "tables, which name its topic, fields and page size"));
        String extra = query == null ? "" : query;
        KeysetQueries.validateTableQuery(tableConfig.query());
        KeysetQueries.validateTableQuery(extra);
        BackfillPlan plan = new BackfillPlan(instance, tableConfig, from, to, extra,
                config.source().backfillConcurrency());
        HttpClient http = InstanceHttpClient.create(instance, instanceConfig.connectTimeout(),
                instanceConfig.connection());
        String userAgent = "snkb/" + ProjectVersion.get();
        TokenProvider provider = tokens != null ? tokens
                : TokenProviders.forInstance(instanceConfig, http, userAgent, clock, ApiMetrics.none(instance));
        ServiceNowClient client = new ServiceNowClient(instance, instanceConfig.baseUrl(),
                instanceConfig.requestTimeout(), provider, userAgent, ApiMetrics.none(instance), http);
        SessionZone zone = instanceConfig.sessionZone().map(z -> SessionZone.fixed(instance, z))
                .orElseGet(() -> new SessionZone(instance, instanceConfig.auth().username()));
        return new BackfillJob(plan, config.kafka(),
                store != null ? store : OffsetStores.forBackfill(config, instance, table), client, zone, provider,
                serializer != null ? serializer : new DebeziumJsonSerializer(clock),
                options.pollers(), options.threads(), options.topicTimeout());
    }
}
