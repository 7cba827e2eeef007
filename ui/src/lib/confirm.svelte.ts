// Asking before something is lost: a removal, or leaving a form with unsaved
// changes. `confirmAction` opens the one modal dialog of the window
// (ConfirmHost) and resolves with the person's answer.
export interface ConfirmRequest {
  title: string;
  body: string;
  /** The label of the button that goes ahead, e.g. "Remove". */
  confirm: string;
  resolve: (answer: boolean) => void;
}

export const confirmation = $state<{ request: ConfirmRequest | null }>({ request: null });

/** Asks the person; true when they go ahead. */
export function confirmAction(request: Omit<ConfirmRequest, 'resolve'>): Promise<boolean> {
  confirmation.request?.resolve(false);
  return new Promise((resolve) => {
    confirmation.request = { ...request, resolve };
  });
}

/** Answers the open question and closes the dialog. */
export function answer(yes: boolean): void {
  const request = confirmation.request;
  confirmation.request = null;
  request?.resolve(yes);
}
