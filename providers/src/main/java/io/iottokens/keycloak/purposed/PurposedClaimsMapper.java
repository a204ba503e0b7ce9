package io.iottokens.keycloak.purposed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.representations.IDToken;

/**
 * {@code purposed-claims}: writes ubirch's {@code pur tid tgp ord scp} into a token. It is the one place where
 * these claims are written: an administrator attaches it to any client or client scope with static values
 * (admin console: <i>Add mapper &gt; By configuration &gt; Purposed claims</i>), and the pack's issuance paths
 * call {@link #write(Map, PurposedClaims)} with the values of a stored purposed token.
 */
public final class PurposedClaimsMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper {

    public static final String PROVIDER_ID = "purposed-claims";
    public static final String CFG_PURPOSE = "purpose";
    public static final String CFG_TARGET_IDENTITIES = "target.identities";
    public static final String CFG_TARGET_GROUPS = "target.groups";
    public static final String CFG_ORIGIN_DOMAINS = "origin.domains";
    public static final String CFG_SCOPES = "scopes";

    private static final List<ProviderConfigProperty> CONFIG;

    static {
        CONFIG = ProviderConfigurationBuilder.create()
                .property().name(CFG_PURPOSE).label("Purpose (pur)").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("What the token is for, at least 6 characters, e.g. 'King Dude - Concert'.").add()
                .property().name(CFG_TARGET_IDENTITIES).label("Target identities (tid)").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .helpText("Device ids the token may act on, or the single value * for all of them.").add()
                .property().name(CFG_TARGET_GROUPS).label("Target groups (tgp)").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .helpText("Group ids or names that aggregate the target devices.").add()
                .property().name(CFG_ORIGIN_DOMAINS).label("Origin domains (ord)").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .helpText("Origins (scheme://host[:port]) from which a verification may come.").add()
                .property().name(CFG_SCOPES).label("Scopes (scp)").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .helpText("Actions the token allows, e.g. upp:verify.").add()
                .build();
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(CONFIG, PurposedClaimsMapper.class);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Purposed claims (ubirch)";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Writes ubirch's purposed claims pur, tid, tgp, ord and scp with the values configured here.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel model, UserSessionModel userSession, KeycloakSession session,
                            ClientSessionContext ctx) {
        write(token.getOtherClaims(), fromConfig(model.getConfig()));
    }

    /** The one writer of the purposed claims: arrays stay arrays (empty ones included). */
    public static void write(Map<String, Object> otherClaims, PurposedClaims claims) {
        otherClaims.putAll(claims.asClaims());
    }

    static PurposedClaims fromConfig(Map<String, String> config) {
        return new PurposedClaims(config.get(CFG_PURPOSE), list(config.get(CFG_TARGET_IDENTITIES)),
                list(config.get(CFG_TARGET_GROUPS)), list(config.get(CFG_ORIGIN_DOMAINS)), list(config.get(CFG_SCOPES)));
    }

    /** Multivalued mapper configuration arrives joined by {@code ##}. */
    static List<String> list(String joined) {
        if (joined == null || joined.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Arrays.stream(joined.split(Constants.CFG_DELIMITER)).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        return out;
    }
}
