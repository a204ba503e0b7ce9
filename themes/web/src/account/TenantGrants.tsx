import { Page, useAccountAlerts, useEnvironment } from "@keycloak/keycloak-account-ui";
import {
  ActionGroup,
  Button,
  EmptyState,
  EmptyStateBody,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  TextInput,
  Title,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, call, enc, fieldOf, message, when } from "../shared/api";
import { ConfirmButton, useLoad } from "../shared/ui";
import { realmUrl } from "./environment";

type Org = { id: string; alias?: string; name: string };
type Grant = {
  tenant: string;
  tenantId: string;
  clientId?: string | null;
  accessLevel: string;
  scopes: string[];
  grantedBy?: string | null;
  grantedAt: string;
};

const levels = ["read-write", "limited", "data-contextualization", "custom"];

/**
 * For tenant admins (organization members with the realm role tenant-admin): the organizations' grants to
 * applications (Insights Hub's tenant delegation): grant, change the level, revoke.
 */
export const TenantGrants = () => {
  const { t } = useTranslation();
  const { keycloak } = useEnvironment();
  const orgs = useLoad((signal) => call<Org[]>(keycloak, `${realmUrl}/account/organizations`, { signal }), []);
  return (
    <Page title={t("iotTenantGrants")} description={t("iotTenantGrantsDescription")}>
      {orgs.error ? <p className="pf-v5-u-danger-color-100">{message(orgs.error)}</p> : null}
      {orgs.data && orgs.data.length === 0 ? (
        <EmptyState>
          <Title headingLevel="h2" size="lg">
            {t("iotTenant.noOrganizations")}
          </Title>
          <EmptyStateBody>{t("iotTenant.noOrganizationsBody")}</EmptyStateBody>
        </EmptyState>
      ) : null}
      {(orgs.data ?? []).map((o) => (
        <TenantSection key={o.id} org={o} />
      ))}
    </Page>
  );
};

function TenantSection({ org }: { org: Org }) {
  const { t } = useTranslation();
  const { keycloak } = useEnvironment();
  const { addAlert, addError } = useAccountAlerts();
  const ref = org.alias || org.id;
  const base = `${realmUrl}/tenant-delegation/tenants/${enc(ref)}/grants`;
  const grants = useLoad((signal) => call<Grant[]>(keycloak, `${base}?first=0&max=100`, { signal }), [base]);
  const [clientId, setClientId] = useState("");
  const [level, setLevel] = useState("limited");
  const [scopes, setScopes] = useState("");
  const [failure, setFailure] = useState<{ field: string; text: string }>();

  const put = async (client: string, accessLevel: string, scopeList?: string[]) => {
    const answer = await call<Grant>(keycloak, `${base}/${enc(client)}`, {
      method: "PUT",
      body: accessLevel === "custom" ? { accessLevel, scopes: scopeList ?? [] } : { accessLevel },
    });
    grants.reload();
    return answer;
  };
  const grant = async () => {
    setFailure(undefined);
    try {
      await put(
        clientId.trim(),
        level,
        scopes
          .split(/[ ,]+/)
          .map((s) => s.trim())
          .filter(Boolean),
      );
      addAlert(t("iotTenant.granted", { tenant: org.name, client: clientId.trim() }));
      setClientId("");
    } catch (e) {
      setFailure({
        field: e instanceof ApiError && e.status === 404 ? "clientId" : (fieldOf(e) ?? "form"),
        text: message(e),
      });
    }
  };
  const revoke = async (g: Grant) => {
    try {
      await call(keycloak, `${base}/${enc(g.clientId ?? "")}`, { method: "DELETE" });
      addAlert(t("iotTenant.revoked", { tenant: org.name, client: g.clientId }));
    } catch (e) {
      addError("iotError", e);
    }
    grants.reload();
  };
  const at = (field: string) =>
    failure?.field === field ? (
      <FormHelperText>
        <HelperText>
          <HelperTextItem variant="error" data-testid={`error-${field}`}>
            {failure.text}
          </HelperTextItem>
        </HelperText>
      </FormHelperText>
    ) : null;

  if (grants.error instanceof ApiError && grants.error.status === 403) {
    return (
      <section className="pf-v5-u-mb-xl" data-testid={`tenant-${ref}`}>
        <Title headingLevel="h2" size="xl">
          {org.name}
        </Title>
        <p>{t("iotTenant.notAdmin")}</p>
      </section>
    );
  }
  return (
    <section className="pf-v5-u-mb-xl" data-testid={`tenant-${ref}`}>
      <Title headingLevel="h2" size="xl" className="pf-v5-u-mb-sm">
        {org.name}
      </Title>
      {grants.error ? <p className="pf-v5-u-danger-color-100">{message(grants.error)}</p> : null}
      <Table aria-label={t("iotTenantGrants")} variant="compact">
        <Thead>
          <Tr>
            <Th>{t("iotTenant.application")}</Th>
            <Th>{t("iotTenant.level")}</Th>
            <Th>{t("iotTenant.scopes")}</Th>
            <Th>{t("iotTenant.grantedAt")}</Th>
            <Th screenReaderText={t("iotActions")} />
          </Tr>
        </Thead>
        <Tbody>
          {grants.data && grants.data.length === 0 ? (
            <Tr>
              <Td colSpan={5}>{t("iotTenant.none")}</Td>
            </Tr>
          ) : null}
          {(grants.data ?? []).map((g) => (
            <Tr key={g.clientId ?? g.grantedAt} data-testid={`grant-${ref}-${g.clientId}`}>
              <Td dataLabel={t("iotTenant.application")}>
                <code>{g.clientId}</code>
              </Td>
              <Td dataLabel={t("iotTenant.level")}>
                <FormSelect
                  aria-label={t("iotTenant.level")}
                  data-testid="level"
                  value={g.accessLevel}
                  isDisabled={g.accessLevel === "custom"}
                  onChange={async (_, v) => {
                    try {
                      await put(g.clientId ?? "", v);
                      addAlert(t("iotTenant.changed", { client: g.clientId, level: v }));
                    } catch (e) {
                      addError("iotError", e);
                    }
                  }}
                >
                  {levels.map((l) => (
                    <FormSelectOption key={l} value={l} label={l} isDisabled={l === "custom"} />
                  ))}
                </FormSelect>
              </Td>
              <Td dataLabel={t("iotTenant.scopes")}>{g.scopes.join(" ")}</Td>
              <Td dataLabel={t("iotTenant.grantedAt")}>{when(g.grantedAt)}</Td>
              <Td isActionCell>
                <ConfirmButton
                  testId="revoke"
                  danger
                  label={t("iotTenant.revoke")}
                  title={t("iotTenant.revoke.title", { tenant: org.name, client: g.clientId })}
                  body={t("iotTenant.revoke.body")}
                  confirm={t("iotTenant.revoke")}
                  onConfirm={() => revoke(g)}
                />
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      <Form
        isHorizontal
        className="pf-v5-u-mt-md"
        onSubmit={(e) => {
          e.preventDefault();
          grant();
        }}
      >
        <Title headingLevel="h3" size="md">
          {t("iotTenant.grantTitle")}
        </Title>
        <FormGroup label={t("iotTenant.application")} fieldId={`client-${ref}`} isRequired>
          <TextInput id={`client-${ref}`} data-testid="grant-client" value={clientId} onChange={(_, v) => setClientId(v)} />
          {at("clientId")}
        </FormGroup>
        <FormGroup label={t("iotTenant.level")} fieldId={`level-${ref}`}>
          <FormSelect id={`level-${ref}`} data-testid="grant-level" value={level} onChange={(_, v) => setLevel(v)}>
            {levels.map((l) => (
              <FormSelectOption key={l} value={l} label={l} />
            ))}
          </FormSelect>
          {at("accessLevel")}
        </FormGroup>
        {level === "custom" ? (
          <FormGroup label={t("iotTenant.scopes")} fieldId={`scopes-${ref}`}>
            <TextInput id={`scopes-${ref}`} data-testid="grant-scopes" value={scopes} onChange={(_, v) => setScopes(v)} />
            {at("scopes")}
          </FormGroup>
        ) : null}
        {failure && !["clientId", "accessLevel", "scopes"].includes(failure.field) ? at(failure.field) : null}
        <ActionGroup>
          <Button type="submit" data-testid="grant-submit" isDisabled={!clientId.trim()}>
            {t("iotTenant.grant")}
          </Button>
        </ActionGroup>
      </Form>
    </section>
  );
}
