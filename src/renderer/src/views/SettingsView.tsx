/**
 * Settings: the store, outgoing email, customer links and the thresholds of the flow. Numbers are
 * edited as text and checked on save, so a half-typed value never turns into a stored zero.
 */
import { useId, useState, type FormEvent } from 'react';
import { settingsSchema, type EscalationRules, type Settings } from '../../../shared/contract';
import { call, errorText } from '../client';
import { ErrorNote } from '../components/Notice';
import { checkFields, fieldsFromMessage, type FieldErrors } from '../fieldErrors';
import { useFocusFirstInvalid } from '../hooks/useFocusFirstInvalid';
import { dollarsToMinor, minorToDollars } from '../format';
import { useCommand } from '../hooks/useCommand';
import { ModelSettings } from '../components/ModelSettings';
import { GmailSettings } from '../components/GmailSettings';
import { ShopifySettings } from '../components/ShopifySettings';
import { ViewHeading } from './ViewHeading';

export function SettingsView(): React.JSX.Element {
  const { data, error } = useCommand('settings.get', {}, []);
  return (
    <section aria-labelledby="settings-heading">
      <ViewHeading id="settings-heading">Settings</ViewHeading>
      <ErrorNote message={error} />
      {data ? <SettingsForm initial={data} /> : !error && <p className="muted">Loading settings…</p>}
      <ModelSettings />
      <GmailSettings />
      <ShopifySettings />
    </section>
  );
}

interface FormState {
  storeName: string;
  timezone: string;
  fromAddress: string;
  smtpHost: string;
  smtpPort: string;
  smtpSecurity: SmtpSecurity;
  smtpUser: string;
  statusUrlTemplate: string;
  faqUrl: string;
  highValueDollars: string;
  etaLimitDays: string;
  etaIntervalPercent: string;
  vipMinPreviousOrders: string;
  ftcMailOrderRule: boolean;
  allowedOffers: string;
  escalationRules: EscalationRules;
}

/** The escalation switches as the owner reads them. */
const escalationLabels: { key: keyof EscalationRules; label: string }[] = [
  { key: 'highValueBeforeCancellation', label: 'High-value order: a person decides before any cancellation offer' },
  { key: 'unhappyReply', label: 'Frustrated or angry reply' },
  { key: 'cancelRequest', label: 'Customer asks to cancel or for a refund' },
  { key: 'callRequested', label: 'Customer asks for a call (callback priority)' },
  { key: 'etaBeyondLimit', label: 'ETA beyond the limit' },
  { key: 'partialShipment', label: 'Partial shipment possible' },
  { key: 'vipDay14', label: 'VIP still waiting at day 14 (personal outreach)' },
];

type SmtpSecurity = Settings['smtp']['security'];

const securityChoices: { value: SmtpSecurity; label: string }[] = [
  { value: 'starttls', label: 'STARTTLS (usually port 587)' },
  { value: 'tls', label: 'TLS from the start (usually port 465)' },
  { value: 'none', label: 'None — only for a relay on this computer' },
];

/** Fields edited as plain text. */
type TextKey = { [K in keyof FormState]: FormState[K] extends string ? K : never }[keyof FormState];

interface TextFieldOptions {
  hint?: string;
  list?: string;
  inputMode?: 'numeric' | 'decimal';
}

function toForm(s: Settings): FormState {
  return {
    storeName: s.storeName,
    timezone: s.timezone,
    fromAddress: s.fromAddress,
    smtpHost: s.smtp.host,
    smtpPort: String(s.smtp.port),
    smtpSecurity: s.smtp.security,
    smtpUser: s.smtp.user,
    statusUrlTemplate: s.statusUrlTemplate,
    faqUrl: s.faqUrl,
    highValueDollars: minorToDollars(s.highValueThresholdMinor),
    etaLimitDays: String(s.etaLimitDays),
    etaIntervalPercent: String(Math.round(s.etaInterval * 100)),
    vipMinPreviousOrders: String(s.vipMinPreviousOrders),
    ftcMailOrderRule: s.ftcMailOrderRule,
    allowedOffers: s.allowedOffers.join('\n'),
    escalationRules: s.escalationRules,
  };
}

/** What the form saves: the settings without Gmail (its own section) and the EDI folder (Suppliers). */
type FormSettings = Omit<Settings, 'gmail' | 'ediFolder'>;
const formSettingsSchema = settingsSchema.omit({ gmail: true, ediFolder: true });

/** One sentence per field, shown next to it when the contract's schema refuses its value. */
const fieldSentences: Record<TextKey, string> = {
  storeName: 'Enter the store name on one line, at most 200 characters.',
  timezone: 'Enter a time zone name like America/New_York.',
  fromAddress: 'Enter one email address, e.g. Juniper & Pine <help@example.com>.',
  smtpHost: 'Enter the server name only, e.g. smtp.example.com.',
  smtpPort: 'SMTP port must be a number from 1 to 65535.',
  smtpSecurity: 'Choose one of the encryption options.',
  smtpUser: 'The user name is too long.',
  statusUrlTemplate: 'Enter a link starting with https:// (or http://), or leave it empty.',
  faqUrl: 'Enter a link starting with https:// (or http://), or leave it empty.',
  highValueDollars: 'High-value threshold must be an amount in dollars, like 500 or 499.99.',
  etaLimitDays: 'ETA limit must be 1 to 365 days.',
  etaIntervalPercent: 'ETA range certainty must be 50 to 98 (%).',
  vipMinPreviousOrders: 'VIP needs a whole number from 1 to 1000 previous orders.',
  allowedOffers: 'At most 20 offers, each at most 100 characters.',
};

/** The form field an issue path of the settings schema belongs to. */
function fieldOf(path: string): TextKey | undefined {
  const top = path.split('.')[0] ?? '';
  const map: Record<string, TextKey> = {
    storeName: 'storeName',
    timezone: 'timezone',
    fromAddress: 'fromAddress',
    'smtp.host': 'smtpHost',
    'smtp.port': 'smtpPort',
    'smtp.security': 'smtpSecurity',
    'smtp.user': 'smtpUser',
    statusUrlTemplate: 'statusUrlTemplate',
    faqUrl: 'faqUrl',
    highValueThresholdMinor: 'highValueDollars',
    etaLimitDays: 'etaLimitDays',
    etaInterval: 'etaIntervalPercent',
    vipMinPreviousOrders: 'vipMinPreviousOrders',
    allowedOffers: 'allowedOffers',
  };
  return map[path.startsWith('smtp.') ? path.split('.').slice(0, 2).join('.') : top];
}

/**
 * The settings a form describes, checked by the contract's schema: every field a person has to fix
 * at once, or the settings. Text that is not a number becomes NaN, which the schema refuses.
 */
function fromForm(f: FormState): { settings: FormSettings } | { fields: FieldErrors<TextKey>; form: string | null } {
  const candidate = {
    storeName: f.storeName.trim(),
    timezone: f.timezone.trim(),
    fromAddress: f.fromAddress.trim(),
    smtp: { host: f.smtpHost.trim(), port: wholeNumber(f.smtpPort) ?? NaN, security: f.smtpSecurity, user: f.smtpUser.trim() },
    statusUrlTemplate: f.statusUrlTemplate.trim(),
    faqUrl: f.faqUrl.trim(),
    highValueThresholdMinor: dollarsToMinor(f.highValueDollars) ?? NaN,
    etaLimitDays: wholeNumber(f.etaLimitDays) ?? NaN,
    etaInterval: (wholeNumber(f.etaIntervalPercent) ?? NaN) / 100,
    vipMinPreviousOrders: wholeNumber(f.vipMinPreviousOrders) ?? NaN,
    ftcMailOrderRule: f.ftcMailOrderRule,
    allowedOffers: f.allowedOffers
      .split('\n')
      .map((o) => o.trim())
      .filter(Boolean),
    escalationRules: f.escalationRules,
  };
  const problems = checkFields(formSettingsSchema, candidate, fieldOf, fieldSentences);
  if (Object.keys(problems.fields).length > 0 || problems.form) return problems;
  return { settings: candidate };
}

/** The form-level line above the Save button: how many fields need a look (each says why). */
function notSaved(fields: FieldErrors<string>): string {
  const n = Object.keys(fields).length;
  return `Not saved: ${n === 1 ? 'one field needs' : `${n} fields need`} a change (see the notes under them).`;
}

function wholeNumber(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null;
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

function SettingsForm({ initial }: { initial: Settings }): React.JSX.Element {
  const uid = useId();
  const [form, setForm] = useState<FormState>(() => toForm(initial));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<TextKey>>({});
  const [saved, setSaved] = useState(false);
  const [zones] = useState(timeZones);
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid();

  function set<K extends keyof FormState>(key: K, value: FormState[K]): void {
    setForm((f) => ({ ...f, [key]: value }));
    setSaved(false);
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if (busy) return;
    const parsed = fromForm(form);
    if (!('settings' in parsed)) {
      setFieldErrors(parsed.fields);
      setError(parsed.form ?? notSaved(parsed.fields));
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const stored = await call('settings.update', parsed.settings);
      setForm(toForm(stored));
      setSaved(true);
    } catch (err) {
      // The core checks again; a refusal that names fields is shown at those fields.
      const fields = fieldsFromMessage(errorText(err), fieldOf, fieldSentences);
      setFieldErrors(fields);
      setError(Object.keys(fields).length > 0 ? notSaved(fields) : errorText(err));
      focusFirstInvalid();
    } finally {
      setBusy(false);
    }
  }

  const id = (name: string): string => `${uid}-${name}`;
  const describedBy = (name: TextKey, hint: boolean): string | undefined =>
    [hint ? id(`${name}-hint`) : '', fieldErrors[name] ? id(`${name}-error`) : ''].filter(Boolean).join(' ') || undefined;
  const problem = (name: TextKey): React.JSX.Element | null =>
    fieldErrors[name] ? (
      <p id={id(`${name}-error`)} className="field-error">
        {fieldErrors[name]}
      </p>
    ) : null;
  const text = (name: TextKey, label: string, props: TextFieldOptions = {}): React.JSX.Element => (
    <div className="field">
      <label htmlFor={id(name)}>{label}</label>
      <input
        id={id(name)}
        type="text"
        inputMode={props.inputMode}
        list={props.list}
        value={form[name]}
        onChange={(e) => set(name, e.target.value)}
        aria-invalid={fieldErrors[name] ? true : undefined}
        aria-describedby={describedBy(name, Boolean(props.hint))}
      />
      {problem(name)}
      {props.hint && (
        <p id={id(`${name}-hint`)} className="muted small">
          {props.hint}
        </p>
      )}
    </div>
  );

  return (
    <form className="settings" onSubmit={onSubmit} noValidate ref={formRef}>
      <fieldset>
        <legend>Store</legend>
        {text('storeName', 'Store name')}
        {text('timezone', 'Time zone', { list: id('zones'), hint: 'Dates in messages use this zone, e.g. America/New_York.' })}
        <datalist id={id('zones')}>
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </fieldset>

      <fieldset>
        <legend>Outgoing email</legend>
        {text('fromAddress', 'From address', { hint: 'As customers see it, e.g. Juniper & Pine <help@example.com>.' })}
        {text('smtpHost', 'SMTP server')}
        {text('smtpPort', 'SMTP port', { inputMode: 'numeric' })}
        <div className="field">
          <label htmlFor={id('smtpSecurity')}>Encryption</label>
          <select
            id={id('smtpSecurity')}
            value={form.smtpSecurity}
            onChange={(e) => set('smtpSecurity', securityChoices.find((c) => c.value === e.target.value)?.value ?? 'starttls')}
          >
            {securityChoices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          {problem('smtpSecurity')}
        </div>
        {text('smtpUser', 'SMTP user name')}
      </fieldset>

      <fieldset>
        <legend>Links in messages</legend>
        {text('statusUrlTemplate', 'Order status link', {
          hint: '{order} is replaced by the order number, e.g. https://example.com/status/{order}.',
        })}
        {text('faqUrl', 'FAQ link', { hint: 'Shown to first-time buyers.' })}
      </fieldset>

      <fieldset>
        <legend>Rules</legend>
        {text('highValueDollars', 'High-value order threshold ($)', {
          inputMode: 'decimal',
          hint: 'Orders above this amount go to you before any cancellation offer.',
        })}
        {text('etaLimitDays', 'ETA limit (days)', {
          inputMode: 'numeric',
          hint: 'An estimate ending later than this becomes a task for you.',
        })}
        {text('etaIntervalPercent', 'ETA range certainty (%)', {
          inputMode: 'numeric',
          hint: 'How sure the range told to customers should be: 80 means 8 of 10 deliveries arrive inside it.',
        })}
        {text('vipMinPreviousOrders', 'VIP from this many previous orders', { inputMode: 'numeric' })}
        <div className="field field-check">
          <input
            id={id('ftc')}
            type="checkbox"
            checked={form.ftcMailOrderRule}
            onChange={(e) => set('ftcMailOrderRule', e.target.checked)}
          />
          <label htmlFor={id('ftc')}>
            US store: follow the FTC Mail Order Rule (delay notices with the right to cancel; after a second delay, ask the
            customer to agree to wait, and open a cancel-and-refund task if they don’t)
          </label>
        </div>
        <div className="field">
          <label htmlFor={id('offers')}>Offers drafts may make</label>
          <textarea
            id={id('offers')}
            rows={3}
            value={form.allowedOffers}
            onChange={(e) => set('allowedOffers', e.target.value)}
            aria-invalid={fieldErrors.allowedOffers ? true : undefined}
            aria-describedby={[id('offers-hint'), fieldErrors.allowedOffers ? id('allowedOffers-error') : ''].filter(Boolean).join(' ')}
          />
          {problem('allowedOffers')}
          <p id={id('offers-hint')} className="muted small">
            One per line, e.g. “expedited shipping”.
          </p>
        </div>
      </fieldset>

      <fieldset>
        <legend>Escalations (each becomes a task for you)</legend>
        {escalationLabels.map(({ key, label }) => (
          <div className="field field-check" key={key}>
            <input
              id={id(`esc-${key}`)}
              type="checkbox"
              checked={form.escalationRules[key]}
              onChange={(e) => set('escalationRules', { ...form.escalationRules, [key]: e.target.checked })}
            />
            <label htmlFor={id(`esc-${key}`)}>{label}</label>
          </div>
        ))}
      </fieldset>

      <ErrorNote message={error} />
      <div className="card-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
        <span role="status" className="muted">
          {saved && 'Settings saved.'}
        </span>
      </div>
    </form>
  );
}
