/** The report's stylesheet, inlined in its <style>: system fonts, readable tables, plots scaled to the page. */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 "DejaVu Sans", system-ui, sans-serif; color: #1d1d1f; margin: 0; background: #f6f6f4; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #ddd; }
h3 { font-size: 15px; margin: 20px 0 8px; }
.subtitle { color: #555; margin: 0 0 16px; }
nav ul { display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 0; list-style: none; margin: 12px 0 0; }
nav a { color: #2a5d9f; text-decoration: none; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; margin: 4px 0 12px; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #bbb; background: #fafafa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.none { color: #999; }
.report-table { overflow-x: auto; }
table.sweep-table td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.sweep-table caption { text-align: left; font-weight: bold; padding: 2px 0 4px; }
table.sweep-table .ci, table.sweep-table .n { color: #666; font-size: 12px; }
.sweep-table-note { color: #555; font-size: 12px; max-width: 900px; margin: 0 0 12px; }
.status-failed, .status-error { font-weight: bold; color: #a4262c; }
figure { margin: 16px 0 28px; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 13px; margin-top: 4px; }
pre { background: #f4f4f2; padding: 10px 12px; overflow-x: auto; font-size: 12px; line-height: 1.4; margin: 4px 0; }
pre.error { background: #fbeeee; white-space: pre-wrap; max-width: 640px; }
code { font-size: 12px; }
.note { color: #555; font-size: 13px; }
`;
