package io.iottokens.keycloak.apikey;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.timer.TimerProvider;

import io.iottokens.keycloak.common.FeatureResourceFactory;

/**
 * The API key feature on this node: its server options ({@link ApiKeyConfig}), its throttle, the sessions the grant
 * reuses, the expiry sweep and the cleanup when a user or realm is removed. One instance per node, owned by the
 * provider factory where the options are declared (the {@code api-keys} realm resource, so the options are
 * {@code --spi-realm-restapi-extension--api-keys--*}); the grant and the admin resource find it with {@link #of}.
 */
public final class ApiKeyFeature implements FeatureResourceFactory.Feature {

    /** The provider id of the factory that owns the feature (the realm resource {@code /realms/{realm}/api-keys}). */
    public static final String OWNER_ID = "api-keys";

    /** Implemented by the owning factory. */
    public interface Owner {
        ApiKeyFeature apiKeys();
    }

    private static final Logger LOG = Logger.getLogger(ApiKeyFeature.class);
    private static final long SWEEP_INTERVAL_MILLIS = 60_000;
    private static final int SWEEP_BATCH = 500;

    private final ApiKeyConfig config;
    private final ApiKeyThrottle throttle;
    private final ApiKeySessions sessions = new ApiKeySessions();

    /** Reads the options; a broken value stops the server with the option's name. */
    public ApiKeyFeature(Config.Scope scope) {
        config = ApiKeyConfig.from(scope);
        throttle = new ApiKeyThrottle(config);
        if (config.pepper() == null) {
            LOG.info("API keys: no server pepper configured (spi-realm-restapi-extension--api-keys--pepper); "
                    + "secrets are hashed with a random per-realm key kept in the database");
        } else if (config.pepper().length < 32) {
            LOG.warn("API keys: the configured pepper is shorter than 32 characters; use a longer random value");
        }
    }

    /** The feature as the other API key factories find it in their {@code postInit}. */
    public static ApiKeyFeature of(KeycloakSessionFactory factory) {
        ProviderFactory<?> owner = factory.getProviderFactory(RealmResourceProvider.class, OWNER_ID);
        if (owner instanceof Owner o) {
            return o.apiKeys();
        }
        throw new IllegalStateException("The API key feature's provider (realm resource '" + OWNER_ID + "') is not deployed");
    }

    public ApiKeyConfig config() {
        return config;
    }

    public ApiKeyThrottle throttle() {
        return throttle;
    }

    public ApiKeySessions sessions() {
        return sessions;
    }

    /** Registers the cleanup on user and realm removal and schedules the expiry sweep (from the owner's postInit). */
    @Override
    public void start(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof UserModel.UserRemovedEvent e) {
                new ApiKeyService(e.getKeycloakSession(), config).deleteByUser(e.getRealm(), e.getUser().getId());
            } else if (event instanceof RealmModel.RealmRemovedEvent e) {
                new ApiKeyService(e.getKeycloakSession(), config).deleteByRealm(e.getRealm().getId());
            }
        });
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            TimerProvider timer = session.getProvider(TimerProvider.class);
            if (timer != null) {
                timer.schedule(() -> sweep(factory), SWEEP_INTERVAL_MILLIS, "iottokens-api-key-expiry");
            }
        });
    }

    /** Marks keys past their expiry as expired and ends their sessions, forgets rows of long-ended sessions (idempotent on every node). */
    private void sweep(KeycloakSessionFactory factory) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                ApiKeyService service = new ApiKeyService(session, config);
                long now = System.currentTimeMillis();
                int n = service.expireDue(now, SWEEP_BATCH);
                int rows = service.forgetOldSessionRows(now);
                if (n > 0 || rows > 0) {
                    LOG.debugf("API keys: %d key(s) expired, %d row(s) of ended sessions forgotten", n, rows);
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "API keys: expiry sweep failed; it runs again in %d s", SWEEP_INTERVAL_MILLIS / 1000);
        }
    }
}
