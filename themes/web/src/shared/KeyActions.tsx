import { Form, FormGroup, FormSelect, FormSelectOption } from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmButton, ShownOnce } from "./ui";

/** What the key actions need of a key (the account's and the admin's views both have it). */
export type KeyRef = { id: string; key: string; status: "active" | "suspended" | "revoked" | "expired" };
export type KeyAction = "suspend" | "resume" | "revoke" | "rotate";

/**
 * A key's actions in both consoles, each behind a confirmation: suspend (active), resume (suspended), rotate with a
 * grace period for the previous secret and revoke (while live), delete (always). The texts come from the console's
 * message bundle (the same keys in both themes).
 */
export function KeyActions<K extends KeyRef>({
  k,
  act,
  remove,
}: {
  k: K;
  act: (k: K, action: KeyAction, body?: unknown) => Promise<unknown>;
  remove: (k: K) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [grace, setGrace] = useState("0");
  const live = k.status === "active" || k.status === "suspended";
  return (
    <div className="pf-v5-u-display-flex" style={{ gap: "0.25rem", whiteSpace: "nowrap" }}>
      {k.status === "active" ? (
        <ConfirmButton
          testId="suspend"
          label={t("iotSuspend")}
          title={t("iotApiKeySuspendTitle", { key: k.key })}
          body={t("iotApiKeySuspendBody")}
          confirm={t("iotSuspend")}
          onConfirm={() => act(k, "suspend")}
        />
      ) : null}
      {k.status === "suspended" ? (
        <ConfirmButton
          testId="resume"
          label={t("iotResume")}
          title={t("iotApiKeyResumeTitle", { key: k.key })}
          body={t("iotApiKeyResumeBody")}
          confirm={t("iotResume")}
          onConfirm={() => act(k, "resume")}
        />
      ) : null}
      {live ? (
        <ConfirmButton
          testId="rotate"
          label={t("iotRotate")}
          title={t("iotApiKeyRotateTitle", { key: k.key })}
          body={
            <Form onSubmit={(e) => e.preventDefault()}>
              <p>{t("iotApiKeyRotateBody")}</p>
              <FormGroup label={t("iotApiKeyRotateGrace")} fieldId={`grace-${k.id}`}>
                <FormSelect id={`grace-${k.id}`} data-testid="grace" value={grace} onChange={(_, v) => setGrace(v)}>
                  <FormSelectOption value="0" label={t("iotGraceNone")} />
                  <FormSelectOption value="3600" label={t("iotGraceHour")} />
                  <FormSelectOption value="86400" label={t("iotGraceDay")} />
                  <FormSelectOption value="604800" label={t("iotGraceWeek")} />
                </FormSelect>
              </FormGroup>
            </Form>
          }
          confirm={t("iotRotate")}
          onConfirm={() => act(k, "rotate", { graceSeconds: Number(grace) })}
        />
      ) : null}
      {live ? (
        <ConfirmButton
          testId="revoke"
          danger
          label={t("iotRevoke")}
          title={t("iotApiKeyRevokeTitle", { key: k.key })}
          body={t("iotApiKeyRevokeBody")}
          confirm={t("iotRevoke")}
          onConfirm={() => act(k, "revoke")}
        />
      ) : null}
      <ConfirmButton
        testId="delete"
        danger
        variant="link"
        label={t("iotDelete")}
        title={t("iotApiKeyDeleteTitle", { key: k.key })}
        body={t("iotApiKeyDeleteBody")}
        confirm={t("iotDelete")}
        onConfirm={() => remove(k)}
      />
    </div>
  );
}

/** A key's secret right after its creation or rotation: shown once, with the key, in both consoles. */
export function KeySecretOnce({ k, onClose }: { k: { key: string; secret: string }; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <ShownOnce
      title={t("iotApiKeySecretTitle", { key: k.key })}
      warning={t("iotApiKeySecretWarning")}
      close={t("iotApiKeySecretClose")}
      values={[
        { label: t("iotApiKeyKey"), value: k.key, testId: "new-key" },
        { label: t("iotApiKeySecret"), value: k.secret, testId: "new-secret" },
      ]}
      onClose={onClose}
    />
  );
}
