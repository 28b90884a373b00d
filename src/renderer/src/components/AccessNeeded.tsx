/** Web mode without a valid token: one clear explanation instead of a page full of failed loads. */
export function AccessNeeded(): React.JSX.Element {
  return (
    <main className="access-needed">
      <h1>Open Backorder Desk with its access link</h1>
      <p>
        For your customers’ privacy this page only works with the full address Backorder Desk printed when it
        started — the one ending in <code>?token=…</code>. If the app was restarted, it printed a new one.
      </p>
    </main>
  );
}
