package io.iottokens.keycloak.purposed;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.TimerProvider;

import io.iottokens.keycloak.common.FeatureResourceFactory;

/**
 * Purposed tokens on this node: the server options ({@link PurposedConfig}) and the upkeep of the store. A removed
 * user's tokens and a removed realm's tokens go with them, and tokens expired longer than
 * {@link PurposedConfig#expiredRetention} ago are deleted by a periodic sweep (expired tokens are inactive at once;
 * until the sweep their owners still see them in the list). A removed group needs no cleanup: tokens naming it stop
 * introspecting as active because the group no longer matches. One instance per node, owned by the provider factory
 * where the options are declared (the {@code purposed-tokens} realm resource, so the options are
 * {@code --spi-realm-restapi-extension--purposed-tokens--*}).
 */
public final class PurposedFeature implements FeatureResourceFactory.Feature {

    /** The provider id of the factory that owns the feature (the realm resource {@code /realms/{realm}/purposed-tokens}). */
    public static final String OWNER_ID = "purposed-tokens";

    private static final Logger LOG = Logger.getLogger(PurposedFeature.class);
    private static final int SWEEP_BATCH = 1000;

    private final PurposedConfig config;

    /** Reads the options; a broken value stops the server with the option's name. */
    public PurposedFeature(Config.Scope scope) {
        this.config = PurposedConfig.from(scope);
    }

    public PurposedConfig config() {
        return config;
    }

    /** Registers the cleanup on user and realm removal and schedules the expiry sweep (from the owner's postInit). */
    @Override
    public void start(KeycloakSessionFactory factory) {
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
                timer.schedule(() -> sweep(factory), config.sweepInterval().toMillis(), "iottokens-purposed-token-expiry");
            }
        });
    }

    /** Deletes tokens expired longer than the retention ago, a batch per transaction (idempotent on every node). */
    private void sweep(KeycloakSessionFactory factory) {
        try {
            long cutoff = Time.currentTime() - config.expiredRetention().toSeconds();
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
            LOG.warnf(e, "Purposed tokens: expiry sweep failed; it runs again in %d s", config.sweepInterval().toSeconds());
        }
    }
}
