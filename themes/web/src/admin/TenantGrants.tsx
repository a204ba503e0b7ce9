import { ViewHeader } from "@keycloak/keycloak-admin-ui";
import {
  ActionGroup,
  Button,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  Label,
  LabelGroup,
  Modal,
  ModalVariant,
  PageSection,
  TextInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { enc, message } from "../shared/api";
import { ConfirmButton, useLoad, usePaging } from "../shared/ui";
import { useIotAlerts } from "./alerts";
import { LoadError, short, useAdminApi } from "./common";

type Level = "read-write" | "limited" | "data-contextualization" | "custom";
const levels: Level[] = ["read-write", "limited", "data-contextualization", "custom"];
type Grant = {
  id: string;
  tenant: string;
  tenantId: string;
  clientId?: string | null;
  accessLevel: Level;
  scopes: string[];
  grantedBy?: string;
  grantedAt: string;
};
type Org = { id: string; alias?: string; name: string };
type Client = { clientId: string; publicClient?: boolean; serviceAccountsEnabled?: boolean; bearerOnly?: boolean };

const scopeList = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Grants across the realm's tenants (organizations): grant an application a level, change it, revoke it. */
export default function TenantGrants() {
  const { t } = useTranslation();
  const api = useAdminApi();
  const { addAlert, addError } = useIotAlerts();
  const paging = usePaging();
  const [org, setOrg] = useState("");
  const orgs = useLoad(
    (signal) => api.get<Org[]>("/organizations?first=0&max=500&briefRepresentation=true", signal),
    [api.realm],
  );
  const { data, error, reload } = useLoad(
    (signal) => {
      const q = new URLSearchParams({ first: String(paging.first), max: String(paging.max) });
      if (org) q.set("org", org);
      return api.get<Grant[]>(`/tenant-grants?${q}`, signal);
    },
    [api.realm, org, paging.first, paging.max],
  );
  const rows = (data ?? []).slice(0, paging.perPage);
  const [granting, setGranting] = useState(false);

  const put = async (tenant: string, clientId: string, accessLevel: Level, scopes?: string[]) =>
    api.send<Grant>("PUT", `/tenant-grants/${enc(tenant)}/${enc(clientId)}`, {
      accessLevel,
      ...(accessLevel === "custom" ? { scopes } : {}),
    });
  const revoke = async (g: Grant) => {
    try {
      await api.send("DELETE", `/tenant-grants/${enc(g.id)}`);
      addAlert(t("iotGrantRevoked", { tenant: g.tenant, client: g.clientId ?? "" }));
    } catch (e) {
      addError(e);
    }
    reload();
  };
  const change = async (g: Grant, level: Level, scopes: string[]) => {
    try {
      await put(g.tenantId, g.clientId ?? "", level, scopes);
      addAlert(t("iotGrantChanged", { tenant: g.tenant, client: g.clientId ?? "", level: t(`iotLevel_${level}`) }));
    } catch (e) {
      addError(e);
    }
    reload();
  };

  return (
    <>
      <ViewHeader titleKey="iotTenantGrants" subKey="iotTenantGrantsHelp" />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <FormSelect
                aria-label={t("iotTenant")}
                data-testid="filter-org"
                value={org}
                onChange={(_, v) => {
                  paging.reset();
                  setOrg(v);
                }}
              >
                <FormSelectOption value="" label={t("iotAllTenants")} />
                {(orgs.data ?? []).map((o) => (
                  <FormSelectOption key={o.id} value={o.id} label={o.alias ? `${o.name} (${o.alias})` : o.name} />
                ))}
              </FormSelect>
            </ToolbarItem>
            <ToolbarItem>
              <Button data-testid="grant-open" onClick={() => setGranting(true)}>
                {t("iotGrantCreate")}
              </Button>
            </ToolbarItem>
            <ToolbarItem variant="pagination">{paging.pager(data?.length ?? 0, "iot-grants-pager")}</ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        <div className="pf-v5-u-px-md">
          <LoadError error={error ?? orgs.error} />
        </div>
        <div style={{ overflowX: "auto" }}>
        <Table aria-label={t("iotTenantGrants")} variant="compact" data-testid="tenant-grants">
          <Thead>
            <Tr>
              <Th modifier="nowrap">{t("iotTenant")}</Th>
              <Th>{t("iotGrantClient")}</Th>
              <Th>{t("iotGrantLevel")}</Th>
              <Th>{t("iotGrantScopes")}</Th>
              <Th>{t("iotGrantGrantedBy")}</Th>
              <Th>{t("iotGrantGrantedAt")}</Th>
              <Th screenReaderText={t("iotActions")} />
            </Tr>
          </Thead>
          <Tbody>
            {data && rows.length === 0 ? (
              <Tr>
                <Td colSpan={7} data-testid="empty">
                  {t("iotGrantsNone")}
                </Td>
              </Tr>
            ) : null}
            {rows.map((g) => (
              <Tr key={g.id} data-testid={`grant-${g.tenant}-${g.clientId ?? ""}`}>
                <Td dataLabel={t("iotTenant")}>{g.tenant}</Td>
                <Td dataLabel={t("iotGrantClient")}>
                  <code>{g.clientId ?? "—"}</code>
                </Td>
                <Td dataLabel={t("iotGrantLevel")}>
                  <Label color="blue" data-testid="grant-level">
                    {t(`iotLevel_${g.accessLevel}`)}
                  </Label>
                </Td>
                <Td dataLabel={t("iotGrantScopes")}>
                  <LabelGroup numLabels={4}>
                    {g.scopes.map((s) => (
                      <Label key={s} isCompact>
                        {s}
                      </Label>
                    ))}
                  </LabelGroup>
                </Td>
                <Td dataLabel={t("iotGrantGrantedBy")} className="pf-v5-u-font-size-sm">
                  {g.grantedBy ?? "—"}
                </Td>
                <Td dataLabel={t("iotGrantGrantedAt")}>{short(g.grantedAt)}</Td>
                <Td isActionCell>
                  <div className="pf-v5-u-display-flex" style={{ gap: "0.25rem" }}>
                    <ChangeLevel g={g} onChange={change} />
                    <ConfirmButton
                      testId="revoke"
                      danger
                      label={t("iotRevoke")}
                      title={t("iotGrantRevokeTitle", { tenant: g.tenant, client: g.clientId ?? "" })}
                      body={t("iotGrantRevokeBody")}
                      confirm={t("iotRevoke")}
                      onConfirm={() => revoke(g)}
                    />
                  </div>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
        </div>
      </PageSection>
      {granting ? (
        <GrantDialog
          orgs={orgs.data ?? []}
          initialOrg={org}
          put={put}
          onClose={() => setGranting(false)}
          onDone={(g) => {
            setGranting(false);
            addAlert(t("iotGrantCreated", { tenant: g.tenant, client: g.clientId ?? "", level: t(`iotLevel_${g.accessLevel}`) }));
            // show the tenant the grant was made in: across all tenants, the new grant may be on another page
            paging.reset();
            if (org === g.tenantId) reload();
            else setOrg(g.tenantId);
          }}
        />
      ) : null}
    </>
  );
}

function ChangeLevel({ g, onChange }: { g: Grant; onChange: (g: Grant, level: Level, scopes: string[]) => Promise<void> }) {
  const { t } = useTranslation();
  const [level, setLevel] = useState<Level>(g.accessLevel);
  const [scopes, setScopes] = useState(g.accessLevel === "custom" ? g.scopes.join(" ") : "");
  return (
    <ConfirmButton
      testId="change-level"
      label={t("iotGrantChange")}
      title={t("iotGrantChangeTitle", { tenant: g.tenant, client: g.clientId ?? "" })}
      body={
        <Form onSubmit={(e) => e.preventDefault()}>
          <p>{t("iotGrantChangeBody")}</p>
          <FormGroup label={t("iotGrantLevel")} fieldId={`level-${g.id}`}>
            <FormSelect id={`level-${g.id}`} data-testid="change-level-select" value={level} onChange={(_, v) => setLevel(v as Level)}>
              {levels.map((l) => (
                <FormSelectOption key={l} value={l} label={t(`iotLevel_${l}`)} />
              ))}
            </FormSelect>
          </FormGroup>
          {level === "custom" ? (
            <FormGroup label={t("iotGrantScopes")} fieldId={`scopes-${g.id}`}>
              <TextInput id={`scopes-${g.id}`} value={scopes} onChange={(_, v) => setScopes(v)} placeholder="iot:assets:read" />
            </FormGroup>
          ) : null}
        </Form>
      }
      confirm={t("iotGrantChange")}
      onConfirm={() => onChange(g, level, scopeList(scopes))}
    />
  );
}

function GrantDialog({
  orgs,
  initialOrg,
  put,
  onClose,
  onDone,
}: {
  orgs: Org[];
  initialOrg: string;
  put: (tenant: string, clientId: string, level: Level, scopes?: string[]) => Promise<Grant>;
  onClose: () => void;
  onDone: (g: Grant) => void;
}) {
  const { t } = useTranslation();
  const api = useAdminApi();
  // applications: confidential clients with a service account (the server says so when a client is none)
  const clients = useLoad((signal) => api.get<Client[]>("/clients?first=0&max=500", signal), [api.realm]);
  const apps = (clients.data ?? []).filter((c) => !c.publicClient && !c.bearerOnly && c.serviceAccountsEnabled);
  const [org, setOrg] = useState(initialOrg || orgs[0]?.id || "");
  const [clientId, setClientId] = useState("");
  const [level, setLevel] = useState<Level>("limited");
  const [scopes, setScopes] = useState("");
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      onDone(await put(org, clientId.trim(), level, scopeList(scopes)));
    } catch (e) {
      setFailure(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal variant={ModalVariant.medium} title={t("iotGrantCreate")} isOpen onClose={onClose} data-testid="grant-dialog">
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <FormGroup label={t("iotTenant")} fieldId="grant-org" isRequired>
          <FormSelect id="grant-org" data-testid="grant-org" value={org} onChange={(_, v) => setOrg(v)}>
            {orgs.map((o) => (
              <FormSelectOption key={o.id} value={o.id} label={o.alias ? `${o.name} (${o.alias})` : o.name} />
            ))}
          </FormSelect>
        </FormGroup>
        <FormGroup label={t("iotGrantClient")} fieldId="grant-client" isRequired>
          <TextInput
            id="grant-client"
            data-testid="grant-client"
            list="iot-grant-clients"
            value={clientId}
            isRequired
            onChange={(_, v) => setClientId(v)}
          />
          <datalist id="iot-grant-clients">
            {apps.map((c) => (
              <option key={c.clientId} value={c.clientId} />
            ))}
          </datalist>
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("iotGrantClientHelp")}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        </FormGroup>
        <FormGroup label={t("iotGrantLevel")} fieldId="grant-level" isRequired>
          <FormSelect id="grant-level" data-testid="grant-level-select" value={level} onChange={(_, v) => setLevel(v as Level)}>
            {levels.map((l) => (
              <FormSelectOption key={l} value={l} label={t(`iotLevel_${l}`)} />
            ))}
          </FormSelect>
        </FormGroup>
        {level === "custom" ? (
          <FormGroup label={t("iotGrantScopes")} fieldId="grant-scopes" isRequired>
            <TextInput
              id="grant-scopes"
              data-testid="grant-scopes"
              value={scopes}
              placeholder="iot:assets:read iot:files:read"
              onChange={(_, v) => setScopes(v)}
            />
          </FormGroup>
        ) : null}
        {failure ? (
          <FormHelperText>
            <HelperText>
              <HelperTextItem variant="error" data-testid="grant-error">
                {failure}
              </HelperTextItem>
            </HelperText>
          </FormHelperText>
        ) : null}
        <ActionGroup>
          <Button type="submit" data-testid="grant-submit" isLoading={busy} isDisabled={busy || !org || !clientId.trim()}>
            {t("iotGrantCreate")}
          </Button>
          <Button variant="link" onClick={onClose}>
            {t("cancel")}
          </Button>
        </ActionGroup>
      </Form>
    </Modal>
  );
}
