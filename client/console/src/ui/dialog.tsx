import { type ReactNode, useEffect, useId, useRef } from 'react';

/** A modal on the native <dialog>: focus is trapped, Escape closes it, and it is labelled by its title. */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={id} onClose={onClose} className="dialog">
      {open ? (
        <>
          <div className="dialog-header">
            <h2 id={id}>{title}</h2>
            <button type="button" className="button button-secondary button-small" onClick={onClose}>
              Close
            </button>
          </div>
          {children}
        </>
      ) : null}
    </dialog>
  );
}
