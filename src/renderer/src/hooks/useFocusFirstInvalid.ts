/**
 * After a refused save, moves the keyboard focus to the first field marked `aria-invalid="true"` in
 * the form, in document order — WCAG 2.2 "Error Identification" (3.3.1): a keyboard or screen-reader
 * user lands on what to fix instead of staying on the Save button with the notes further up.
 *
 * Returns the form's ref and `focusFirstInvalid`, to call whenever field errors are set; the focus
 * moves once React has rendered the marks.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';

export function useFocusFirstInvalid(): { formRef: RefObject<HTMLFormElement | null>; focusFirstInvalid: () => void } {
  const formRef = useRef<HTMLFormElement | null>(null);
  const [request, setRequest] = useState(0);
  useEffect(() => {
    if (request > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [request]);
  return { formRef, focusFirstInvalid: () => setRequest((n) => n + 1) };
}
