// Translations in the browser: the page's language and its catalog of the ``js`` domain,
// embedded by base.html as JSON (``app/i18n.py``), so no extra request and it works offline.
// Messages are English msgids with %(name)s placeholders, extracted by pybabel (babel-js.cfg).

const node = document.getElementById('tavle-i18n');
const data = node ? JSON.parse(node.textContent || '{}') : {};
const messages = data.messages || {};

/** The language the page speaks: nb, nn or en. */
export const locale = data.locale || document.documentElement.lang || 'en';

function fill(text, params) {
  if (!params) return text;
  return text.replace(/%\(([a-z_][a-z0-9_]*)\)[sd]/gi, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** ``msgid`` in the page's language, with ``%(name)s`` filled from ``params``. */
export function gettext(msgid, params) {
  const found = messages[msgid];
  return fill(typeof found === 'string' && found ? found : msgid, params);
}

/** The singular or plural of a message for ``n`` (nb, nn and en: one, and all others);
 *  ``%(n)s`` is filled with ``n`` unless ``params`` says otherwise. */
export function ngettext(singular, plural, n, params) {
  const forms = messages[singular];
  const index = n === 1 ? 0 : 1;
  const text = Array.isArray(forms) && forms[index] ? forms[index] : (index === 0 ? singular : plural);
  return fill(text, { n: formatNumber(n), ...params });
}

const intlLocales = locale === 'nn' ? ['nn', 'nb', 'no'] : locale === 'nb' ? ['nb', 'no'] : ['en'];

/** A number as the page's language writes it (4,7 in Norwegian, 4.7 in English). */
export function formatNumber(value, options = {}) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value ?? '');
  // The server's symbols decide the separators (Intl may lack Norwegian data and fall back).
  return new Intl.NumberFormat(intlLocales, { maximumFractionDigits: 2, ...options })
    .formatToParts(value)
    .map((part) => (part.type === 'decimal' ? data.decimal || part.value
      : part.type === 'group' ? data.group || part.value : part.value))
    .join('');
}

/** ``value`` with exactly ``digits`` decimals (4,70 in Norwegian), as ``toFixed`` would. */
export function formatFixed(value, digits) {
  return formatNumber(Number(value), { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A share 0..1 as a percentage in the page's language ("45 %" in Norwegian). */
export function formatPercent(share, digits = 0) {
  return formatNumber(share, { style: 'percent', maximumFractionDigits: digits });
}
