import { Page, useEnvironment } from "@keycloak/keycloak-account-ui";
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
} from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { call, enc, when } from "../shared/api";
import { KeyActions, KeySecretOnce } from "../shared/KeyActions";
import { ListView, useFieldErrors } from "../shared/list";
import { useLoad, usePaging } from "../shared/ui";
import { realmUrl } from "./environment";
import { useRun } from "./run";

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
  const paging = usePaging();
  const { data, error, reload } = useLoad(
    (signal) => call<ApiKey[]>(keycloak, `${realmUrl}/api-keys?first=${paging.first}&max=${paging.max}`, { signal }),
    [paging.first, paging.max],
  );
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<WithSecret>();

  const run = useRun(reload);
  const act = (k: ApiKey, action: string, body?: unknown) =>
    run(async () => {
      const changed = await call<WithSecret | ApiKey>(keycloak, `${realmUrl}/api-keys/${enc(k.id)}/${action}`, {
        method: "POST",
        body,
      });
      if ("secret" in changed) setSecret(changed);
    }, t(`iotApiKey.${action}.done`, { key: k.key }));
  const remove = (k: ApiKey) =>
    run(() => call(keycloak, `${realmUrl}/api-keys/${enc(k.id)}`, { method: "DELETE" }), t("iotApiKey.delete.done", { key: k.key }));

  return (
    <Page title={t("iotApiKeys")} description={t("iotApiKeysDescription")}>
      <ListView<ApiKey>
        label={t("iotApiKeys")}
        testId="api-keys"
        buttons={
          <Button data-testid="create-key" onClick={() => setCreating(true)}>
            {t("iotApiKey.create")}
          </Button>
        }
        pager={paging.pager(data?.length ?? 0, "api-keys-pager")}
        error={error}
        rows={data}
        perPage={paging.perPage}
        empty={t("iotApiKey.none")}
        actionsLabel={t("iotActions")}
        rowKey={(k) => k.id}
        rowTestId={(k) => `key-${k.key}`}
        columns={[
          { title: t("iotApiKey.key"), cell: (k) => <code>{k.key}</code> },
          { title: t("iotApiKey.memo"), cell: (k) => k.memo ?? "" },
          { title: t("iotApiKey.status"), cell: (k) => <StatusLabel status={k.status} /> },
          { title: t("iotApiKey.roles"), cell: (k) => (k.roles?.length ? k.roles.join(", ") : t("iotApiKey.allRoles")) },
          { title: t("iotApiKey.expires"), cell: (k) => (k.expiresAt ? when(k.expiresAt) : t("iotApiKey.never")) },
          { title: t("iotApiKey.lastUsed"), cell: (k) => when(k.lastUsedAt) },
        ]}
        actions={(k) => <KeyActions k={k} act={act} remove={remove} />}
      />
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
      {secret ? <KeySecretOnce k={secret} onClose={() => setSecret(undefined)} /> : null}
    </Page>
  );
};

const presets = ["1d", "1w", "1m", "1y", "custom", "none"] as const;

/** The create form: memo, duration (preset or ISO-8601), roles; the server's refusal shown at its field. */
function CreateKey({ onClose, onCreated }: { onClose: () => void; onCreated: (k: WithSecret) => void }) {
  const { t } = useTranslation();
  const { keycloak } = useEnvironment();
  const [memo, setMemo] = useState("");
  const [preset, setPreset] = useState<(typeof presets)[number]>("1m");
  const [custom, setCustom] = useState("");
  const [roles, setRoles] = useState("");
  const errors = useFieldErrors(["memo", "duration", "roles"]);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    errors.clear();
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
      errors.fail(e);
    } finally {
      setBusy(false);
    }
  };
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
          {errors.at("memo")}
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
          {errors.at("duration")}
        </FormGroup>
        <FormGroup label={t("iotApiKey.roles")} fieldId="roles">
          <TextInput id="roles" data-testid="roles" value={roles} placeholder="user, sensor-writer" onChange={(_, v) => setRoles(v)} />
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("iotApiKey.rolesHelp")}</HelperTextItem>
            </HelperText>
          </FormHelperText>
          {errors.at("roles")}
        </FormGroup>
        {errors.rest()}
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
