import { ViewHeader, useAccess } from "@keycloak/keycloak-admin-ui";
import {
  ActionGroup,
  Alert,
  Button,
  Form,
  FormGroup,
  FormHelperText,
  FormSection,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  PageSection,
  TextArea,
  TextInput,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { message } from "../shared/api";
import { useLoad } from "../shared/ui";
import { useIotAlerts } from "./alerts";
import { FieldError } from "../shared/list";
import { LoadError, useAdminApi } from "./common";

type ClientSettings = {
  apiKeyGrantEnabled?: boolean | null;
  edgeEnabled?: boolean | null;
  edgeIdTokenClients?: string[] | null;
};
type Settings = {
  apiKeyMaxLifetime?: string | null;
  purposedScopes?: string[] | null;
  purposedAudiences?: Record<string, string[]> | null;
  purposedMaxLifetime?: number | null;
  purposedBootstrapWindow?: number | null;
  tenantLevels?: Record<string, string[]> | null;
  tenantBatchLimit?: number | null;
  tenantTokenLifespan?: number | null;
  tenantAudiences?: string[] | null;
  clients?: Record<string, ClientSettings | null>;
  problems?: Record<string, string>;
};

const tenantLevelNames = ["read-write", "limited", "data-contextualization"] as const;
const numberFields = ["purposedMaxLifetime", "purposedBootstrapWindow", "tenantBatchLimit", "tenantTokenLifespan"] as const;
const realmFields = [
  "apiKeyMaxLifetime",
  "purposedScopes",
  "purposedAudiences",
  "purposedMaxLifetime",
  "purposedBootstrapWindow",
  "tenantLevels",
  "tenantBatchLimit",
  "tenantTokenLifespan",
  "tenantAudiences",
] as const;
type RealmField = (typeof realmFields)[number];

/** The form's text for every field: an empty text is "unset" (null, the default applies). */
type FormState = {
  apiKeyMaxLifetime: string;
  purposedScopes: string;
  purposedAudiences: string;
  purposedMaxLifetime: string;
  purposedBootstrapWindow: string;
  tenantLevels: Record<string, string>;
  tenantBatchLimit: string;
  tenantTokenLifespan: string;
  tenantAudiences: string;
  clients: Record<string, { apiKeyGrantEnabled: string; edgeEnabled: string; edgeIdTokenClients: string }>;
};

const words = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
const tri = (b?: boolean | null) => (b === true ? "true" : b === false ? "false" : "");
const fromTri = (s: string) => (s === "true" ? true : s === "false" ? false : null);

function toForm(s: Settings): FormState {
  return {
    apiKeyMaxLifetime: s.apiKeyMaxLifetime ?? "",
    purposedScopes: (s.purposedScopes ?? []).join("\n"),
    purposedAudiences: Object.entries(s.purposedAudiences ?? {})
      .map(([scope, auds]) => `${scope} = ${auds.join(" ")}`)
      .join("\n"),
    purposedMaxLifetime: s.purposedMaxLifetime?.toString() ?? "",
    purposedBootstrapWindow: s.purposedBootstrapWindow?.toString() ?? "",
    tenantLevels: Object.fromEntries(tenantLevelNames.map((l) => [l, (s.tenantLevels?.[l] ?? []).join(" ")])),
    tenantBatchLimit: s.tenantBatchLimit?.toString() ?? "",
    tenantTokenLifespan: s.tenantTokenLifespan?.toString() ?? "",
    tenantAudiences: (s.tenantAudiences ?? []).join(" "),
    clients: Object.fromEntries(
      Object.entries(s.clients ?? {}).map(([id, c]) => [
        id,
        {
          apiKeyGrantEnabled: tri(c?.apiKeyGrantEnabled),
          edgeEnabled: tri(c?.edgeEnabled),
          edgeIdTokenClients: (c?.edgeIdTokenClients ?? []).join(" "),
        },
      ]),
    ),
  };
}

/** A number field's value: a number when it is one, else the text as typed, so the server names the field. */
const num = (text: string): number | string | null => (text.trim() === "" ? null : /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim());

function realmValue(f: FormState, field: RealmField): unknown {
  switch (field) {
    case "apiKeyMaxLifetime":
      return f.apiKeyMaxLifetime.trim() || null;
    case "purposedScopes":
      return words(f.purposedScopes).length ? words(f.purposedScopes) : null;
    case "purposedAudiences": {
      const lines = f.purposedAudiences.split("\n").filter((l) => l.trim());
      if (!lines.length) return null;
      return Object.fromEntries(
        lines.map((l) => {
          const at = l.indexOf("=");
          return at < 0 ? [l.trim(), []] : [l.slice(0, at).trim(), words(l.slice(at + 1))];
        }),
      );
    }
    case "tenantLevels": {
      const set = tenantLevelNames.filter((l) => f.tenantLevels[l]?.trim());
      return set.length ? Object.fromEntries(set.map((l) => [l, words(f.tenantLevels[l])])) : null;
    }
    case "tenantAudiences":
      return words(f.tenantAudiences).length ? words(f.tenantAudiences) : null;
    default:
      return num(f[field]);
  }
}

function clientValue(c: FormState["clients"][string]): ClientSettings {
  return {
    apiKeyGrantEnabled: fromTri(c.apiKeyGrantEnabled),
    edgeEnabled: fromTri(c.edgeEnabled),
    edgeIdTokenClients: words(c.edgeIdTokenClients).length ? words(c.edgeIdTokenClients) : null,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Only what the form changed: absent fields stay as stored (a broken stored value is not reset by accident). */
function changes(loaded: Settings, f: FormState): Settings {
  const out: Record<string, unknown> = {};
  const before = toForm(loaded);
  for (const field of realmFields) {
    const now = realmValue(f, field);
    if (!same(realmValue(before, field), now)) out[field] = now;
  }
  const clients: Record<string, ClientSettings> = {};
  for (const [id, c] of Object.entries(f.clients)) {
    const was = before.clients[id];
    if (!was || !same(clientValue(was), clientValue(c))) clients[id] = clientValue(c);
  }
  if (Object.keys(clients).length) out.clients = clients;
  return out as Settings;
}

/** The field a refusal names ("tenantLevels: ...", "clients.iot-api.edgeEnabled ..."), longest name first. */
function fieldOf(text: string, f: FormState): string | undefined {
  const candidates = [
    ...Object.keys(f.clients).flatMap((id) => ["apiKeyGrantEnabled", "edgeEnabled", "edgeIdTokenClients"].map((k) => `clients.${id}.${k}`)),
    ...realmFields,
  ].sort((a, b) => b.length - a.length);
  return candidates.find((c) => text.includes(c));
}

/** The pack's realm and client settings as one typed form (GET/PUT /iot-tokens/settings). */
export default function Settings() {
  const { t } = useTranslation();
  const api = useAdminApi();
  const { hasAccess } = useAccess();
  const readOnly = !hasAccess("manage-realm");
  const { addAlert } = useIotAlerts();
  const { data, error, reload } = useLoad((signal) => api.get<Settings>("/iot-tokens/settings", signal), [api.realm]);
  const [form, setForm] = useState<FormState>();
  const [failure, setFailure] = useState<{ field?: string; text: string }>();
  const [busy, setBusy] = useState(false);
  const [newClient, setNewClient] = useState("");
  useEffect(() => {
    if (data) setForm(toForm(data));
  }, [data]);

  if (!form || !data) {
    return (
      <>
        <ViewHeader titleKey="iotSettings" subKey="iotSettingsHelp" />
        <PageSection variant="light">
          <LoadError error={error} />
        </PageSection>
      </>
    );
  }
  const set = (patch: Partial<FormState>) => setForm({ ...form, ...patch });
  const save = async () => {
    setBusy(true);
    setFailure(undefined);
    const body = changes(data, form);
    try {
      if (Object.keys(body).length) await api.send<Settings>("PUT", "/iot-tokens/settings", body);
      addAlert(t("iotSettingsSaved"));
      reload();
    } catch (e) {
      const text = message(e);
      setFailure({ field: fieldOf(text, form), text });
    } finally {
      setBusy(false);
    }
  };
  const errorAt = (field: string) => (failure?.field === field ? <FieldError field={field} text={failure.text} /> : null);
  const help = (key: string) => (
    <FormHelperText>
      <HelperText>
        <HelperTextItem>{t(key)}</HelperTextItem>
      </HelperText>
    </FormHelperText>
  );
  const group = (field: RealmField, input: ReactNode) => (
    <FormGroup label={t(`iotSetting_${field}`)} fieldId={`setting-${field}`}>
      {input}
      {help(`iotSettingHelp_${field}`)}
      {data.problems?.[field] ? (
        <FormHelperText>
          <HelperText>
            <HelperTextItem variant="warning">{t("iotSettingProblem", { problem: data.problems[field] })}</HelperTextItem>
          </HelperText>
        </FormHelperText>
      ) : null}
      {errorAt(field)}
    </FormGroup>
  );
  const text = (field: "apiKeyMaxLifetime" | "tenantAudiences" | (typeof numberFields)[number], placeholder: string) =>
    group(
      field,
      <TextInput
        id={`setting-${field}`}
        data-testid={`setting-${field}`}
        value={form[field]}
        placeholder={placeholder}
        isDisabled={readOnly}
        validated={failure?.field === field ? "error" : "default"}
        onChange={(_, v) => set({ [field]: v })}
      />,
    );
  const client = (id: string, patch: Partial<FormState["clients"][string]>) =>
    set({ clients: { ...form.clients, [id]: { ...form.clients[id], ...patch } } });
  const triSelect = (id: string, key: "apiKeyGrantEnabled" | "edgeEnabled") => (
    <FormSelect
      aria-label={`${id} ${t(`iotSetting_${key}`)}`}
      data-testid={`client-${id}-${key}`}
      value={form.clients[id][key]}
      isDisabled={readOnly}
      onChange={(_, v) => client(id, { [key]: v })}
    >
      <FormSelectOption value="" label={t("iotSettingDefault")} />
      <FormSelectOption value="true" label={t("iotSettingOn")} />
      <FormSelectOption value="false" label={t("iotSettingOff")} />
    </FormSelect>
  );
  const problems = Object.entries(data.problems ?? {});

  return (
    <>
      <ViewHeader titleKey="iotSettings" subKey="iotSettingsHelp" />
      <PageSection variant="light">
        {problems.length ? (
          <Alert variant="warning" isInline title={t("iotSettingsProblems")} className="pf-v5-u-mb-md" data-testid="settings-problems">
            <ul>
              {problems.map(([field, why]) => (
                <li key={field}>
                  <code>{field}</code>: {why}
                </li>
              ))}
            </ul>
          </Alert>
        ) : null}
        <Form
          isHorizontal
          style={{ maxWidth: "70rem" }}
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <FormSection title={t("iotSettingsApiKeys")} titleElement="h2">
            {text("apiKeyMaxLifetime", "1m, P30D")}
          </FormSection>
          <FormSection title={t("iotSettingsPurposed")} titleElement="h2">
            {group(
              "purposedScopes",
              <TextArea
                id="setting-purposedScopes"
                data-testid="setting-purposedScopes"
                value={form.purposedScopes}
                isDisabled={readOnly}
                autoResize
                onChange={(_, v) => set({ purposedScopes: v })}
              />,
            )}
            {group(
              "purposedAudiences",
              <TextArea
                id="setting-purposedAudiences"
                data-testid="setting-purposedAudiences"
                value={form.purposedAudiences}
                placeholder="upp:verify = iot-platform"
                isDisabled={readOnly}
                autoResize
                onChange={(_, v) => set({ purposedAudiences: v })}
              />,
            )}
            {text("purposedMaxLifetime", "2592000")}
            {text("purposedBootstrapWindow", "300")}
          </FormSection>
          <FormSection title={t("iotSettingsTenants")} titleElement="h2">
            {group(
              "tenantLevels",
              <>
                {tenantLevelNames.map((l) => (
                  <div key={l} className="pf-v5-u-mb-sm">
                    <label htmlFor={`setting-tenantLevels-${l}`} className="pf-v5-u-font-size-sm">
                      {t(`iotLevel_${l}`)}
                    </label>
                    <TextInput
                      id={`setting-tenantLevels-${l}`}
                      data-testid={`setting-tenantLevels-${l}`}
                      value={form.tenantLevels[l]}
                      placeholder={t("iotSettingServerMap")}
                      isDisabled={readOnly}
                      onChange={(_, v) => set({ tenantLevels: { ...form.tenantLevels, [l]: v } })}
                    />
                  </div>
                ))}
              </>,
            )}
            {text("tenantBatchLimit", "5")}
            {text("tenantTokenLifespan", "300")}
            {text("tenantAudiences", "iot-platform")}
          </FormSection>
          <FormSection title={t("iotSettingsClients")} titleElement="h2">
            <p className="pf-v5-u-color-200">{t("iotSettingsClientsHelp")}</p>
            <Table aria-label={t("iotSettingsClients")} variant="compact" data-testid="settings-clients">
              <Thead>
                <Tr>
                  <Th>{t("clientId")}</Th>
                  <Th info={{ tooltip: t("iotSettingHelp_apiKeyGrantEnabled") }}>{t("iotSetting_apiKeyGrantEnabled")}</Th>
                  <Th info={{ tooltip: t("iotSettingHelp_edgeEnabled") }}>{t("iotSetting_edgeEnabled")}</Th>
                  <Th info={{ tooltip: t("iotSettingHelp_edgeIdTokenClients") }}>{t("iotSetting_edgeIdTokenClients")}</Th>
                </Tr>
              </Thead>
              <Tbody>
                {Object.keys(form.clients).map((id) => (
                  <Tr key={id} data-testid={`client-${id}`}>
                    <Td>
                      <code>{id}</code>
                      {["apiKeyGrantEnabled", "edgeEnabled", "edgeIdTokenClients"].map((k) => (
                        <div key={k}>{errorAt(`clients.${id}.${k}`)}</div>
                      ))}
                    </Td>
                    <Td>{triSelect(id, "apiKeyGrantEnabled")}</Td>
                    <Td>{triSelect(id, "edgeEnabled")}</Td>
                    <Td>
                      <TextInput
                        aria-label={`${id} ${t("iotSetting_edgeIdTokenClients")}`}
                        data-testid={`client-${id}-edgeIdTokenClients`}
                        value={form.clients[id].edgeIdTokenClients}
                        placeholder="developer-console"
                        isDisabled={readOnly}
                        onChange={(_, v) => client(id, { edgeIdTokenClients: v })}
                      />
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
            {readOnly ? null : (
              <div className="pf-v5-u-display-flex" style={{ gap: "0.5rem" }}>
                <TextInput
                  aria-label={t("iotSettingsAddClient")}
                  data-testid="settings-new-client"
                  placeholder={t("clientId")}
                  value={newClient}
                  onChange={(_, v) => setNewClient(v)}
                />
                <Button
                  variant="secondary"
                  data-testid="settings-add-client"
                  isDisabled={!newClient.trim() || newClient.trim() in form.clients}
                  onClick={() => {
                    client(newClient.trim(), { apiKeyGrantEnabled: "", edgeEnabled: "", edgeIdTokenClients: "" });
                    setNewClient("");
                  }}
                >
                  {t("iotSettingsAddClient")}
                </Button>
              </div>
            )}
          </FormSection>
          {failure && !failure.field ? (
            <Alert variant="danger" isInline title={t("iotErrorTitle")} data-testid="settings-error">
              {failure.text}
            </Alert>
          ) : null}
          {readOnly ? null : (
            <ActionGroup>
              <Button type="submit" data-testid="settings-save" isLoading={busy} isDisabled={busy}>
                {t("save")}
              </Button>
              <Button
                variant="link"
                data-testid="settings-revert"
                onClick={() => {
                  setFailure(undefined);
                  setForm(toForm(data));
                }}
              >
                {t("revert")}
              </Button>
            </ActionGroup>
          )}
        </Form>
      </PageSection>
    </>
  );
}
