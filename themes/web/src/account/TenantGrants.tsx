import { Page } from "@keycloak/keycloak-account-ui";

export const TenantGrants = () => <Page title="TenantGrants" description="">TODO</Page>;
