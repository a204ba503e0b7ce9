import { Page, useAccountAlerts, useEnvironment } from "@keycloak/keycloak-account-ui";
import {
  ActionGroup,
  Button,
  EmptyState,
  EmptyStateBody,
  Form,
  FormGroup,
  FormSelect,
  FormSelectOption,
  TextInput,
  Title,
} from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, call, enc, message, when } from "../shared/api";
import { ListView, useFieldErrors } from "../shared/list";
import { ConfirmButton, useLoad } from "../shared/ui";
import { realmUrl } from "./environment";
import { useRun } from "./run";

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
  const { addAlert } = useAccountAlerts();
  const ref = org.alias || org.id;
  const base = `${realmUrl}/tenant-delegation/tenants/${enc(ref)}/grants`;
  const grants = useLoad((signal) => call<Grant[]>(keycloak, `${base}?first=0&max=100`, { signal }), [base]);
  const [clientId, setClientId] = useState("");
  const [level, setLevel] = useState("limited");
  const [scopes, setScopes] = useState("");
  const errors = useFieldErrors(["clientId", "accessLevel", "scopes"]);

  const put = async (client: string, accessLevel: string, scopeList?: string[]) => {
    const answer = await call<Grant>(keycloak, `${base}/${enc(client)}`, {
      method: "PUT",
      body: accessLevel === "custom" ? { accessLevel, scopes: scopeList ?? [] } : { accessLevel },
    });
    return answer;
  };
  const grant = async () => {
    errors.clear();
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
      grants.reload();
    } catch (e) {
      errors.fail(e, e instanceof ApiError && e.status === 404 ? "clientId" : undefined);
    }
  };
  const run = useRun(grants.reload);
  const revoke = (g: Grant) =>
    run(
      () => call(keycloak, `${base}/${enc(g.clientId ?? "")}`, { method: "DELETE" }),
      t("iotTenant.revoked", { tenant: org.name, client: g.clientId }),
    );
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
      <ListView<Grant>
        label={t("iotTenantGrants")}
        testId={`grants-${ref}`}
        error={grants.error}
        rows={grants.data}
        empty={t("iotTenant.none")}
        actionsLabel={t("iotActions")}
        rowKey={(g) => g.clientId ?? g.grantedAt}
        rowTestId={(g) => `grant-${ref}-${g.clientId}`}
        columns={[
          { title: t("iotTenant.application"), cell: (g) => <code>{g.clientId}</code> },
          {
            title: t("iotTenant.level"),
            cell: (g) => (
              <FormSelect
                aria-label={t("iotTenant.level")}
                data-testid="level"
                value={g.accessLevel}
                isDisabled={g.accessLevel === "custom"}
                onChange={(_, v) => run(() => put(g.clientId ?? "", v), t("iotTenant.changed", { client: g.clientId, level: v }))}
              >
                {levels.map((l) => (
                  <FormSelectOption key={l} value={l} label={l} isDisabled={l === "custom"} />
                ))}
              </FormSelect>
            ),
          },
          { title: t("iotTenant.scopes"), cell: (g) => g.scopes.join(" ") },
          { title: t("iotTenant.grantedAt"), cell: (g) => when(g.grantedAt) },
        ]}
        actions={(g) => (
          <ConfirmButton
            testId="revoke"
            danger
            label={t("iotTenant.revoke")}
            title={t("iotTenant.revoke.title", { tenant: org.name, client: g.clientId })}
            body={t("iotTenant.revoke.body")}
            confirm={t("iotTenant.revoke")}
            onConfirm={() => revoke(g)}
          />
        )}
      />
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
          {errors.at("clientId")}
        </FormGroup>
        <FormGroup label={t("iotTenant.level")} fieldId={`level-${ref}`}>
          <FormSelect id={`level-${ref}`} data-testid="grant-level" value={level} onChange={(_, v) => setLevel(v)}>
            {levels.map((l) => (
              <FormSelectOption key={l} value={l} label={l} />
            ))}
          </FormSelect>
          {errors.at("accessLevel")}
        </FormGroup>
        {level === "custom" ? (
          <FormGroup label={t("iotTenant.scopes")} fieldId={`scopes-${ref}`}>
            <TextInput id={`scopes-${ref}`} data-testid="grant-scopes" value={scopes} onChange={(_, v) => setScopes(v)} />
            {errors.at("scopes")}
          </FormGroup>
        ) : null}
        {errors.rest()}
        <ActionGroup>
          <Button type="submit" data-testid="grant-submit" isDisabled={!clientId.trim()}>
            {t("iotTenant.grant")}
          </Button>
        </ActionGroup>
      </Form>
    </section>
  );
}
