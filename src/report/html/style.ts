/** The page's own CSS: inline, so the file opens offline. */
export const STYLE = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #5b6470; --line: #d9dde3; --accent: #1f6fb4; }
* { box-sizing: border-box; }
body { font: 15px/1.5 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0; background: #f6f7f9; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; background: white; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.subtitle { color: var(--muted); margin: 0 0 12px; }
.question { font-size: 17px; }
pre.notes { white-space: pre-wrap; font: 13px/1.45 "DejaVu Sans Mono", ui-monospace, monospace; background: #f3f5f8; padding: 10px 12px; border-left: 3px solid var(--accent); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; }
.answer { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.answer div { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 180px; }
.answer strong { display: block; font-size: 20px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 8px 0; }
caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 12.5px; padding-top: 6px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th[aria-sort="ascending"] button::after { content: " ▲" / ""; }
th[aria-sort="descending"] button::after { content: " ▼" / ""; }
td small { display: block; color: var(--muted); font-size: 11.5px; }
td.best { background: #eaf4ea; font-weight: 600; }
.star { color: #2e7d32; }
.verdict, .status { display: inline-block; padding: 0 6px; border-radius: 4px; font-weight: 600; }
.verdict.positive { background: #dff0d8; color: #2b6a2b; }
.verdict.negative { background: #f8d7da; color: #8a1f28; }
.verdict.inconclusive { background: #eceff3; color: #4a5360; }
.verdict.chance { background: #fff1cc; color: #7a5400; }
.chance { border: 1px solid #e0b94a; border-left: 4px solid #c98f00; background: #fffaf0; border-radius: 6px; padding: 8px 12px; margin: 12px 0; }
.chance ul { margin: 4px 0; padding-left: 20px; }
.chance small { color: var(--muted); }
.status.ok { color: #2b6a2b; }
.status.failed { background: #f8d7da; color: #8a1f28; }
.status.diverged { background: #fff1cc; color: #7a5400; }
.problem { color: #8a1f28; font-size: 12px; }
tr.status-failed td, tr.status-diverged td { background: #fffaf0; }
td.id { white-space: nowrap; font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 12.5px; }
td.error { color: #8a1f28; font-size: 12.5px; max-width: 380px; }
details { margin: 10px 0; }
details summary { cursor: pointer; color: var(--accent); }
figure { margin: 18px 0 28px; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; }
figcaption strong { color: var(--ink); font-size: 15px; display: block; }
.best-config { font-size: 16px; border-left: 3px solid #2e7d32; padding: 4px 10px; background: #f3f9f3; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
`;
