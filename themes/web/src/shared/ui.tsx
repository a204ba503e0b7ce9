import {
  Alert,
  Button,
  ClipboardCopy,
  Modal,
  ModalVariant,
  Pagination,
  type ButtonProps,
} from "@patternfly/react-core";
import { useCallback, useEffect, useState, type ReactNode } from "react";

/**
 * Loads what `load` returns and loads it again on `reload()` or when a dependency changes; the error (if any) is
 * kept for the page to show. Late answers of an earlier load are dropped.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal)
      .then((d) => {
        setData(d);
        setError(undefined);
      })
      .catch((e) => {
        if (!controller.signal.aborted) setError(e);
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, reload };
}

/** A button that asks before it acts: the question, the action's name, a danger variant for destructive ones. */
export function ConfirmButton({
  label,
  title,
  body,
  confirm,
  onConfirm,
  danger,
  testId,
  variant = "secondary",
  isDisabled,
}: {
  label: string;
  title: string;
  body: ReactNode;
  confirm: string;
  onConfirm: () => Promise<unknown> | void;
  danger?: boolean;
  testId: string;
  variant?: ButtonProps["variant"];
  isDisabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <Button variant={variant} size="sm" data-testid={testId} isDisabled={isDisabled} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal
        variant={ModalVariant.small}
        title={title}
        titleIconVariant={danger ? "warning" : undefined}
        isOpen={open}
        onClose={() => setOpen(false)}
        actions={[
          <Button
            key="confirm"
            data-testid="confirm"
            variant={danger ? "danger" : "primary"}
            isLoading={busy}
            isDisabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await onConfirm();
              } finally {
                setBusy(false);
                setOpen(false);
              }
            }}
          >
            {confirm}
          </Button>,
          <Button key="cancel" data-testid="cancel" variant="link" onClick={() => setOpen(false)}>
            Cancel
          </Button>,
        ]}
      >
        {body}
      </Modal>
    </>
  );
}

/** A secret the server shows once: a copy button, a warning, and nothing kept after the dialog closes. */
export function ShownOnce({
  title,
  warning,
  values,
  close,
  onClose,
}: {
  title: string;
  warning: string;
  values: { label: string; value: string; testId: string }[];
  close: string;
  onClose: () => void;
}) {
  return (
    <Modal
      variant={ModalVariant.medium}
      title={title}
      isOpen
      onClose={onClose}
      actions={[
        <Button key="close" data-testid="close-secret" variant="primary" onClick={onClose}>
          {close}
        </Button>,
      ]}
    >
      <Alert variant="warning" isInline title={warning} className="pf-v5-u-mb-md" />
      {values.map((v) => (
        <div key={v.testId} className="pf-v5-u-mb-sm">
          <strong>{v.label}</strong>
          <ClipboardCopy isReadOnly hoverTip="Copy" clickTip="Copied" data-testid={v.testId}>
            {v.value}
          </ClipboardCopy>
        </div>
      ))}
    </Modal>
  );
}

/**
 * first/max paging against the pack's list endpoints: one more row than shown is asked for, so the pager knows
 * whether a next page exists without a count endpoint.
 */
export function usePaging(perPageDefault = 20) {
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(perPageDefault);
  return {
    first: (page - 1) * perPage,
    max: perPage + 1,
    perPage,
    pager: (rows: number, id: string) =>
      rows === 0 && page === 1 ? null : (
      <Pagination
        widgetId={id}
        perPage={perPage}
        page={page}
        itemCount={(page - 1) * perPage + rows}
        isCompact
        toggleTemplate={({ firstIndex, lastIndex }) => (
          <>
            {firstIndex}–{Math.min(lastIndex ?? 0, (page - 1) * perPage + Math.min(rows, perPage))}
          </>
        )}
        onSetPage={(_, p) => setPage(p)}
        onPerPageSelect={(_, pp) => {
          setPerPage(pp);
          setPage(1);
        }}
      />
    ),
    reset: () => setPage(1),
  };
}
