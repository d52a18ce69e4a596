/**
 * report.html's stylesheet, inlined (the report is one self-contained file
 * that loads nothing). The print rules show what a closed <details> hides;
 * the page script opens them before printing (html-script.ts).
 */

export const HTML_STYLE = `
:root{--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--bg:#fff;--panel:#f6f8fa;--accent:#0b4f9c;
--b-bg:#fde7e7;--b-fg:#8c1515;--b-bar:#c62828;--u-bg:#fff3d1;--u-fg:#6e4500;--u-bar:#d49100;
--r-bg:#e2f3e6;--r-fg:#145c2b;--r-bar:#2e8b47;--w-bg:#e7edfb;--w-fg:#233f8a;--p-bg:#eef1f4;--p-fg:#3d4750}
*{box-sizing:border-box}
[hidden]{display:none !important}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header.top{background:#10243e;color:#fff;padding:20px 0 18px}
.wrap{max-width:1240px;margin:0 auto;padding:0 24px}
header.top h1{margin:0;font-size:22px;font-weight:650;letter-spacing:.2px}
header.top .brand{font-size:12px;text-transform:uppercase;letter-spacing:1.5px;color:#b8c7da;margin-bottom:4px}
dl.meta{display:flex;flex-wrap:wrap;gap:6px 28px;margin:12px 0 0;font-size:13px}
dl.meta div{display:flex;gap:6px}
dl.meta dt{color:#b8c7da}
dl.meta dd{margin:0;font-variant-numeric:tabular-nums;word-break:break-all}
main{padding:8px 0 40px}
h2{font-size:17px;margin:28px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
.verdict-line{font-size:16px;margin:16px 0 12px;padding:10px 14px;border-radius:6px;border-left:5px solid}
.verdict-line.v-blocked{background:var(--b-bg);border-color:var(--b-bar);color:var(--b-fg)}
.verdict-line.v-unknown{background:var(--u-bg);border-color:var(--u-bar);color:var(--u-fg)}
.verdict-line.v-ready{background:var(--r-bg);border-color:var(--r-bar);color:var(--r-fg)}
.cards{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 16px;background:var(--panel);border-top:4px solid var(--muted);color:inherit;text-decoration:none;display:block}
a.card:hover,a.card:focus{outline:2px solid var(--accent);outline-offset:1px}
.card.w{border-top-color:var(--u-bar)}
.whatif{margin:0 0 12px;padding:8px 14px;border-radius:6px;border:2px dashed var(--u-bar);background:var(--u-bg);color:var(--u-fg);font-weight:600}
table.inputs td,table.inputs th{overflow-wrap:anywhere;font-size:13px}
table.inputs tr.whatif{background:var(--u-bg)}
.card.v-blocked{border-top-color:var(--b-bar)}.card.v-unknown{border-top-color:var(--u-bar)}.card.v-ready{border-top-color:var(--r-bar)}
.card .n{font-size:28px;font-weight:650;font-variant-numeric:tabular-nums;line-height:1.2}
.card .l{font-size:13px;color:var(--muted);text-transform:uppercase;letter-spacing:.6px}
.card .pct{font-size:13px;color:var(--muted)}
.bar{display:flex;height:10px;border-radius:5px;overflow:hidden;margin:14px 0 4px;background:var(--p-bg)}
.bar span{display:block;height:100%}
.bar .v-blocked{background:var(--b-bar)}.bar .v-unknown{background:var(--u-bar)}.bar .v-ready{background:var(--r-bar)}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;vertical-align:top;padding:7px 10px;border-bottom:1px solid var(--line)}
thead th{background:var(--panel);font-size:12px;text-transform:uppercase;letter-spacing:.5px;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.zero{color:#8c959f}
code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--p-bg);padding:1px 5px;border-radius:4px;word-break:break-word}
.badge{display:inline-block;font-size:11.5px;font-weight:700;letter-spacing:.5px;padding:2px 8px;border-radius:10px;white-space:nowrap;border:1px solid transparent}
.v-blocked>.badge,.badge.v-blocked,.badge.s-fail{background:var(--b-bg);color:var(--b-fg);border-color:#f1b3b3}
.badge.v-unknown,.badge.s-unknown{background:var(--u-bg);color:var(--u-fg);border-color:#ecd08a}
.badge.v-ready,.badge.s-pass{background:var(--r-bg);color:var(--r-fg);border-color:#a9d8b5}
.badge.s-waived{background:var(--w-bg);color:var(--w-fg);border-color:#b3c3ee}
.badge.w-open{background:var(--u-bg);color:var(--u-fg);border-color:#ecd08a;margin-left:4px}
tr.w-open{background:#fffbeb}
.sev{font-size:12px;color:var(--muted)}
.sev.blocker{color:var(--b-fg)}
.controls{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:flex-end;margin:4px 0 12px;padding:12px 14px;background:var(--panel);border:1px solid var(--line);border-radius:8px}
.controls label{display:flex;flex-direction:column;font-size:12px;font-weight:600;color:var(--muted);gap:3px}
.controls select,.controls input{font:inherit;font-size:14px;padding:5px 8px;border:1px solid #8c959f;border-radius:5px;background:#fff;color:var(--fg);min-width:170px}
.controls input{min-width:260px}
button{font:inherit;font-size:14px;padding:5px 12px;border:1px solid #8c959f;border-radius:5px;background:#fff;color:var(--fg);cursor:pointer}
button:disabled{color:#8c959f;cursor:default}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.status{font-size:14px;color:var(--muted);margin:6px 0 10px}
.pager{display:flex;gap:10px;align-items:center;margin:14px 0}
details.acct{border:1px solid var(--line);border-radius:8px;margin:0 0 8px;background:#fff}
details.acct>summary{cursor:pointer;padding:9px 14px;display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center;list-style-position:outside}
details.acct>summary::-webkit-details-marker{color:var(--muted)}
details.acct[open]>summary{border-bottom:1px solid var(--line);background:var(--panel);border-radius:8px 8px 0 0}
details.acct.v-blocked{border-left:4px solid var(--b-bar)}details.acct.v-unknown{border-left:4px solid var(--u-bar)}details.acct.v-ready{border-left:4px solid var(--r-bar)}
.acct-id{font:600 14px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.acct-name{font-weight:600;word-break:break-word}
.acct-counts{margin-left:auto;font-size:13px;color:var(--muted)}
.acct-body{padding:10px 14px 14px}
.acct-body p{margin:4px 0 10px}
.kv{font-size:13px;color:var(--muted)}
.kv b{color:var(--fg);font-weight:600}
.rules{table-layout:fixed}
.rules th:nth-child(1){width:118px}.rules th:nth-child(2){width:24%}.rules th:nth-child(3){width:36%}
tbody th{font-weight:normal}
.rules td{overflow-wrap:anywhere}
.rule-stats .rule-title{font-weight:600}
.rule-title{display:block;color:var(--fg)}
.msg{white-space:pre-wrap;word-break:break-word}
.rem{white-space:pre-wrap;word-break:break-word;font-size:13.5px}
.refs{margin:4px 0 0;padding-left:18px;font-size:12.5px}
.att{margin-top:6px;font-size:13px;padding:6px 8px;background:var(--p-bg);border-radius:5px}
.att-h{font-weight:600}
.att dl{margin:2px 0 0;display:grid;grid-template-columns:max-content 1fr;gap:0 10px}
.att dl div{display:contents}
.att dt{color:var(--muted)}
.att dd{margin:0;white-space:pre-wrap;word-break:break-word}
.waiver{margin-top:6px;font-size:13px;padding:6px 8px;background:var(--w-bg);color:var(--w-fg);border-radius:5px}
details.ev{margin-top:6px;font-size:12.5px}
details.ev summary{cursor:pointer;color:var(--accent)}
pre{white-space:pre-wrap;word-break:break-word;background:var(--panel);border:1px solid var(--line);border-radius:5px;padding:8px;margin:6px 0 0;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;max-height:320px;overflow:auto}
ul.tags{list-style:none;padding:0;margin:4px 0 10px;display:flex;flex-wrap:wrap;gap:6px}
ul.tags li{font-size:12.5px;border:1px solid var(--line);border-radius:4px;padding:1px 6px;background:var(--panel);word-break:break-word}
ul.notes{margin:4px 0 10px;padding-left:20px;font-size:13.5px}
section.impact{margin:10px 0;padding:8px 12px;border-left:4px solid var(--accent);background:var(--panel)}
section.impact h3{font-size:14.5px;margin:0 0 6px}
ul.impact-found,ol.checklist{margin:4px 0 8px;padding-left:20px;font-size:13.5px}
ul.impact-found li{margin:2px 0}ul.impact-found code{margin:0 6px}
.warnings li{word-break:break-word}
.muted{color:var(--muted)}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
footer{border-top:1px solid var(--line);padding:16px 0 28px;font-size:12.5px;color:var(--muted)}
@media (max-width:760px){.cards{grid-template-columns:repeat(2,minmax(0,1fr))}.rules{table-layout:auto}}
details.passed{margin:6px 0 8px;font-size:13.5px}
details.passed>summary{cursor:pointer;color:var(--accent);font-weight:600}
table.passes{opacity:.92}
.rules.passes th:nth-child(1){width:118px}.rules.passes th:nth-child(2){width:30%}
.controls label.chk{flex-direction:row;align-items:center;gap:6px;font-size:14px;color:var(--fg)}
.controls label.chk input{min-width:0}
.ou code{margin-left:2px}
@media print{header.top{background:#fff;color:#000;border-bottom:2px solid #000}dl.meta dt{color:#444}.controls,.pager,#lg-nojs{display:none}
details.acct{break-inside:avoid}details>summary{list-style:none}details>summary::-webkit-details-marker{display:none}
pre{max-height:none;overflow:visible}.refs a::after{content:" (" attr(href) ")";font-size:11px;color:#444;word-break:break-all}
a{color:#000}body{font-size:12px}}
`;
