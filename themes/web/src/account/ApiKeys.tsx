import { Page, useAccountAlerts, useEnvironment } from "@keycloak/keycloak-account-ui";
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
  Modal,
  ModalVariant,
  TextInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { call, enc, fieldOf, message, when } from "../shared/api";
import { ConfirmButton, ShownOnce, useLoad, usePaging } from "../shared/ui";
import { realmUrl } from "./environment";

export type ApiKey = {
  id: string;
  key: string;
  memo?: string;
  status: "active" | "suspended" | "revoked" | "expired";
  roles?: string[];
  createdAt: string;
  expiresAt?: string;
  lastUsedAt?: string;
  rotatedAt?: string;
  previousSecretValidUntil?: string;
};
type WithSecret = ApiKey & { secret: string };

const statusColor = { active: "green", suspended: "orange", revoked: "red", expired: "grey" } as const;

export const StatusLabel = ({ status }: { status: ApiKey["status"] }) => (
  <Label color={statusColor[status]} data-testid="key-status">
    {status}
  </Label>
);

/** The user's API keys: create (the secret shown once), list, suspend, resume, rotate, revoke, delete. */
export const ApiKeys = () => {
  const { t } = useTranslation();
  const { keycloak } = useEnvironment();
  const { addAlert, addError } = useAccountAlerts();
  const paging = usePaging();
  const { data, error, reload } = useLoad(
    (signal) => call<ApiKey[]>(keycloak, `${realmUrl}/api-keys?first=${paging.first}&max=${paging.max}`, { signal }),
    [paging.first, paging.max],
  );
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<WithSecret>();

  const act = async (k: ApiKey, action: string, body?: unknown) => {
    try {
      const changed = await call<WithSecret | ApiKey>(keycloak, `${realmUrl}/api-keys/${enc(k.id)}/${action}`, {
        method: "POST",
        body,
      });
      if (action === "rotate" && "secret" in changed) setSecret(changed as WithSecret);
      addAlert(t(`iotApiKey.${action}.done`, { key: k.key }));
    } catch (e) {
      addError("iotError", e);
    }
    reload();
  };
  const remove = async (k: ApiKey) => {
    try {
      await call(keycloak, `${realmUrl}/api-keys/${enc(k.id)}`, { method: "DELETE" });
      addAlert(t("iotApiKey.delete.done", { key: k.key }));
    } catch (e) {
      addError("iotError", e);
    }
    reload();
  };

  const rows = data ?? [];
  return (
    <Page title={t("iotApiKeys")} description={t("iotApiKeysDescription")}>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Button data-testid="create-key" onClick={() => setCreating(true)}>
              {t("iotApiKey.create")}
            </Button>
          </ToolbarItem>
          <ToolbarItem variant="pagination">{paging.pager(rows.length, "api-keys-pager")}</ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {error ? <p className="pf-v5-u-danger-color-100">{message(error)}</p> : null}
      <Table aria-label={t("iotApiKeys")} variant="compact" data-testid="api-keys">
        <Thead>
          <Tr>
            <Th>{t("iotApiKey.key")}</Th>
            <Th>{t("iotApiKey.memo")}</Th>
            <Th>{t("iotApiKey.status")}</Th>
            <Th>{t("iotApiKey.roles")}</Th>
            <Th>{t("iotApiKey.expires")}</Th>
            <Th>{t("iotApiKey.lastUsed")}</Th>
            <Th screenReaderText={t("iotActions")} />
          </Tr>
        </Thead>
        <Tbody>
          {rows.length === 0 && data ? (
            <Tr>
              <Td colSpan={7}>{t("iotApiKey.none")}</Td>
            </Tr>
          ) : null}
          {rows.slice(0, paging.perPage).map((k) => (
            <Tr key={k.id} data-testid={`key-${k.key}`}>
              <Td dataLabel={t("iotApiKey.key")}>
                <code>{k.key}</code>
              </Td>
              <Td dataLabel={t("iotApiKey.memo")}>{k.memo ?? ""}</Td>
              <Td dataLabel={t("iotApiKey.status")}>
                <StatusLabel status={k.status} />
              </Td>
              <Td dataLabel={t("iotApiKey.roles")}>{k.roles?.length ? k.roles.join(", ") : t("iotApiKey.allRoles")}</Td>
              <Td dataLabel={t("iotApiKey.expires")}>{k.expiresAt ? when(k.expiresAt) : t("iotApiKey.never")}</Td>
              <Td dataLabel={t("iotApiKey.lastUsed")}>{when(k.lastUsedAt)}</Td>
              <Td isActionCell>
                <KeyActions k={k} act={act} remove={remove} />
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {creating ? (
        <CreateKey
          onClose={() => setCreating(false)}
          onCreated={(k) => {
            setCreating(false);
            setSecret(k);
            reload();
          }}
        />
      ) : null}
      {secret ? (
        <ShownOnce
          title={t("iotApiKey.secretTitle", { key: secret.key })}
          warning={t("iotApiKey.secretWarning")}
          close={t("iotApiKey.secretClose")}
          values={[
            { label: t("iotApiKey.key"), value: secret.key, testId: "new-key" },
            { label: t("iotApiKey.secret"), value: secret.secret, testId: "new-secret" },
          ]}
          onClose={() => setSecret(undefined)}
        />
      ) : null}
    </Page>
  );
};

export function KeyActions({
  k,
  act,
  remove,
}: {
  k: ApiKey;
  act: (k: ApiKey, action: string, body?: unknown) => Promise<void>;
  remove: (k: ApiKey) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [grace, setGrace] = useState("0");
  const live = k.status === "active" || k.status === "suspended";
  return (
    <div className="pf-v5-u-display-flex pf-v5-u-flex-wrap" style={{ gap: "0.25rem" }}>
      {k.status === "active" ? (
        <ConfirmButton
          testId="suspend"
          label={t("iotApiKey.suspend")}
          title={t("iotApiKey.suspend.title", { key: k.key })}
          body={t("iotApiKey.suspend.body")}
          confirm={t("iotApiKey.suspend")}
          onConfirm={() => act(k, "suspend")}
        />
      ) : null}
      {k.status === "suspended" ? (
        <ConfirmButton
          testId="resume"
          label={t("iotApiKey.resume")}
          title={t("iotApiKey.resume.title", { key: k.key })}
          body={t("iotApiKey.resume.body")}
          confirm={t("iotApiKey.resume")}
          onConfirm={() => act(k, "resume")}
        />
      ) : null}
      {live ? (
        <ConfirmButton
          testId="rotate"
          label={t("iotApiKey.rotate")}
          title={t("iotApiKey.rotate.title", { key: k.key })}
          body={
            <Form onSubmit={(e) => e.preventDefault()}>
              <p>{t("iotApiKey.rotate.body")}</p>
              <FormGroup label={t("iotApiKey.rotate.grace")} fieldId={`grace-${k.id}`}>
                <FormSelect id={`grace-${k.id}`} value={grace} onChange={(_, v) => setGrace(v)}>
                  <FormSelectOption value="0" label={t("iotApiKey.rotate.grace.none")} />
                  <FormSelectOption value="3600" label={t("iotApiKey.rotate.grace.hour")} />
                  <FormSelectOption value="86400" label={t("iotApiKey.rotate.grace.day")} />
                  <FormSelectOption value="604800" label={t("iotApiKey.rotate.grace.week")} />
                </FormSelect>
              </FormGroup>
            </Form>
          }
          confirm={t("iotApiKey.rotate")}
          onConfirm={() => act(k, "rotate", { graceSeconds: Number(grace) })}
        />
      ) : null}
      {live ? (
        <ConfirmButton
          testId="revoke"
          danger
          label={t("iotApiKey.revoke")}
          title={t("iotApiKey.revoke.title", { key: k.key })}
          body={t("iotApiKey.revoke.body")}
          confirm={t("iotApiKey.revoke")}
          onConfirm={() => act(k, "revoke")}
        />
      ) : null}
      <ConfirmButton
        testId="delete"
        danger
        variant="link"
        label={t("iotApiKey.delete")}
        title={t("iotApiKey.delete.title", { key: k.key })}
        body={t("iotApiKey.delete.body")}
        confirm={t("iotApiKey.delete")}
        onConfirm={() => remove(k)}
      />
    </div>
  );
}

const presets = ["1d", "1w", "1m", "1y", "custom", "none"] as const;

/** The create form: memo, duration (preset or ISO-8601), roles; the server's refusal shown at its field. */
function CreateKey({ onClose, onCreated }: { onClose: () => void; onCreated: (k: WithSecret) => void }) {
  const { t } = useTranslation();
  const { keycloak } = useEnvironment();
  const [memo, setMemo] = useState("");
  const [preset, setPreset] = useState<(typeof presets)[number]>("1m");
  const [custom, setCustom] = useState("");
  const [roles, setRoles] = useState("");
  const [failure, setFailure] = useState<{ field: string; text: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setFailure(undefined);
    const duration = preset === "none" ? null : preset === "custom" ? custom.trim() : preset;
    const roleList = roles
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean);
    try {
      const created = await call<WithSecret>(keycloak, `${realmUrl}/api-keys`, {
        method: "POST",
        body: { memo: memo || null, duration, roles: roleList.length ? roleList : null },
      });
      onCreated(created);
    } catch (e) {
      const field = fieldOf(e);
      setFailure({ field: field && ["memo", "duration", "roles"].includes(field) ? field : "form", text: message(e) });
    } finally {
      setBusy(false);
    }
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

  return (
    <Modal variant={ModalVariant.medium} title={t("iotApiKey.create")} isOpen onClose={onClose}>
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <FormGroup label={t("iotApiKey.memo")} fieldId="memo">
          <TextInput id="memo" data-testid="memo" value={memo} maxLength={255} onChange={(_, v) => setMemo(v)} />
          {at("memo")}
        </FormGroup>
        <FormGroup label={t("iotApiKey.duration")} fieldId="duration">
          <FormSelect id="duration" data-testid="duration" value={preset} onChange={(_, v) => setPreset(v as typeof preset)}>
            {presets.map((p) => (
              <FormSelectOption key={p} value={p} label={t(`iotApiKey.duration.${p}`)} />
            ))}
          </FormSelect>
          {preset === "custom" ? (
            <TextInput
              className="pf-v5-u-mt-sm"
              id="duration-custom"
              data-testid="duration-custom"
              placeholder="P90D, PT12H"
              value={custom}
              onChange={(_, v) => setCustom(v)}
            />
          ) : null}
          {at("duration")}
        </FormGroup>
        <FormGroup label={t("iotApiKey.roles")} fieldId="roles">
          <TextInput id="roles" data-testid="roles" value={roles} placeholder="user, sensor-writer" onChange={(_, v) => setRoles(v)} />
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("iotApiKey.rolesHelp")}</HelperTextItem>
            </HelperText>
          </FormHelperText>
          {at("roles")}
        </FormGroup>
        {at("form")}
        <ActionGroup>
          <Button type="submit" data-testid="create-key-submit" isLoading={busy} isDisabled={busy}>
            {t("iotApiKey.create")}
          </Button>
          <Button variant="link" onClick={onClose}>
            {t("cancel")}
          </Button>
        </ActionGroup>
      </Form>
    </Modal>
  );
}
