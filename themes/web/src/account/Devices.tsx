import { Page } from "@keycloak/keycloak-account-ui";

export const Devices = () => <Page title="Devices" description="">TODO</Page>;
