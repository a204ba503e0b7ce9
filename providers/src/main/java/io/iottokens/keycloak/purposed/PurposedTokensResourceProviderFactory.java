package io.iottokens.keycloak.purposed;

import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;
import org.keycloak.timer.TimerProvider;

import io.iottokens.keycloak.common.NoLifecycle;
import io.iottokens.keycloak.common.Options;
import io.iottokens.keycloak.common.RealmResources;

/**
 * Mounts {@code /realms/{realm}/purposed-tokens} and keeps the store clean: a removed user's tokens and a
 * removed realm's tokens go with them, and tokens expired longer than {@code expired-retention} ago are
 * deleted by a periodic sweep (expired tokens are inactive at once; until the sweep their owners still see
 * them in the list). A removed group needs no cleanup: tokens naming it stop introspecting as active
 * because the group no longer matches.
 */
public final class PurposedTokensResourceProviderFactory implements RealmResourceProviderFactory, NoLifecycle<RealmResourceProvider> {

    public static final String PROVIDER_ID = "purposed-tokens";
    private static final Logger LOG = Logger.getLogger(PurposedTokensResourceProviderFactory.class);
    private static final int SWEEP_BATCH = 1000;

    private Duration retention;
    private Duration sweepInterval;

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return RealmResources.of(() -> new PurposedTokensResource(session));
    }

    @Override
    public void init(Config.Scope config) {
        retention = Options.duration(config, PROVIDER_ID, "expired-retention", Duration.ofDays(30));
        sweepInterval = Options.duration(config, PROVIDER_ID, "sweep-interval", Duration.ofHours(1));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent e) {
                new PurposedTokenService(e.getKeycloakSession()).ownerRemoved(e.getRealm(), e.getUser().getId());
            } else if (event instanceof RealmModel.RealmRemovedEvent e) {
                new PurposedTokenService(e.getKeycloakSession()).realmRemoved(e.getRealm().getId());
            }
        });
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            if (timer != null) {
                timer.schedule(() -> sweep(factory), sweepInterval.toMillis(), "iottokens-purposed-token-expiry");
            }
        });
    }

    /** Deletes tokens expired longer than the retention ago, a batch per transaction (idempotent on every node). */
    private void sweep(KeycloakSessionFactory factory) {
        try {
            long cutoff = Time.currentTime() - retention.toSeconds();
            int total = 0;
            int n;
            do {
                int[] deleted = new int[1];
                KeycloakModelUtils.runJobInTransaction(factory, session -> deleted[0] = new PurposedTokenService(session).sweepExpired(cutoff, SWEEP_BATCH));
                n = deleted[0];
                total += n;
            } while (n == SWEEP_BATCH);
            if (total > 0) {
                LOG.debugf("Purposed tokens: %d token(s) expired before %d deleted", total, cutoff);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Purposed tokens: expiry sweep failed; it runs again in %d s", sweepInterval.toSeconds());
        }
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("expired-retention").type("string").defaultValue("P30D")
                .helpText("How long an expired purposed token stays listed to its owner before the sweep deletes it (1d, 1w or ISO-8601 such as P30D, PT1H).")
                .add()
                .property().name("sweep-interval").type("string").defaultValue("PT1H")
                .helpText("How often each node deletes purposed tokens expired longer than expired-retention ago.")
                .add()
                .build();
    }
}
