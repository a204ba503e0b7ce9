import { Page } from "@keycloak/keycloak-account-ui";

export const PurposedTokens = () => <Page title="PurposedTokens" description="">TODO</Page>;
