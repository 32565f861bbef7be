/** Building HTML as strings: text escaped at the one place it enters, and plain tables. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Marks a string as HTML already (built here or escaped), so `dataTable` does not escape it again. */
export interface Html {
  readonly html: string;
}

export const raw = (html: string): Html => ({ html });

function cell(content: string | number | Html | null): string {
  if (content === null) return '<span class="none">–</span>';
  return typeof content === 'object' ? content.html : escapeHtml(String(content));
}

/** A table with a header row; text cells are escaped, numbers right-aligned. */
export function dataTable(head: readonly string[], rows: readonly (readonly (string | number | Html | null)[])[], className = 'data'): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((c) => `<td${typeof c === 'number' ? ' class="num"' : ''}>${cell(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table class="${className}"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
