/**
 * The static parts of report.html: its stylesheet and its small script. Both
 * are inlined (the report is one self-contained file that loads nothing), and
 * the script is allowed by its hash in the page's Content-Security-Policy.
 *
 * The script never assigns data to innerHTML: every string from the report
 * reaches the page through textContent or setAttribute, so it is text, never
 * markup.
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
@media print{header.top{background:#fff;color:#000;border-bottom:2px solid #000}dl.meta dt{color:#444}.controls,.pager{display:none}details.acct{break-inside:avoid}}
`;

/**
 * Renders pages of accounts from the JSON data island and filters them.
 * Data layout (see html.ts `dataIsland`): S = string table; D = rule
 * definitions [id, title, severity, remediation, [references]] as string
 * indices; A = accounts in display order
 * [id, name|-1, verdict, [[def, status, message, waiver|0, evidence|-1, attestations|0]...], tags|0, ouPath|0, notes|0, impact|0];
 * impact = [[[status, rule, severity, message]...], [checklist step...]] (impact.ts); T = [impact title, checklist title, nothing found].
 * attestations = [[[label, value]...]...] (provenance.ts attestationFields, one list per attestation).
 */
export const HTML_SCRIPT = `
(function () {
  'use strict';
  var island = document.getElementById('lg-data');
  var list = document.getElementById('lg-list');
  if (!island || !list) return;
  var data = JSON.parse(island.textContent);
  var S = data.S, D = data.D, A = data.A, PAGE = data.pageSize;
  var VERDICTS = ['blocked', 'unknown', 'ready'];
  var STATUSES = ['fail', 'unknown', 'waived', 'pass'];
  var STATUS_TEXT = { fail: 'FAIL', unknown: 'UNKNOWN', waived: 'WAIVED', pass: 'PASS' };
  var STATUS_ICON = { fail: '\\u2717', unknown: '?', waived: '\\u2013', pass: '\\u2713' };
  var state = { verdict: '', rule: '', text: '', page: 0 };
  var matches = [];
  var els = {
    controls: document.getElementById('lg-controls'),
    verdict: document.getElementById('lg-verdict'),
    rule: document.getElementById('lg-rule'),
    text: document.getElementById('lg-text'),
    status: document.getElementById('lg-status'),
    pager: document.getElementById('lg-pager'),
    prev: document.getElementById('lg-prev'),
    next: document.getElementById('lg-next'),
    page: document.getElementById('lg-page')
  };

  function s(i) { return i >= 0 ? S[i] : ''; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  function fmt(n) { return n.toLocaleString('en-US'); }

  // Lower-cased text each account can be found by: id, name, tags, OU path.
  var haystack = A.map(function (a) {
    var parts = [S[a[0]], s(a[1])];
    (a[4] || []).forEach(function (t) { parts.push(S[t[0]] + '=' + S[t[1]]); });
    (a[5] || []).forEach(function (o) { parts.push(S[o]); });
    return parts.join('\\n').toLowerCase();
  });

  function accountMatches(a, i) {
    if (state.verdict && VERDICTS[a[2]] !== state.verdict) return false;
    if (state.rule) {
      var hit = false;
      for (var k = 0; k < a[3].length; k++) {
        var r = a[3][k];
        if (S[D[r[0]][0]] === state.rule && STATUSES[r[1]] !== 'pass') { hit = true; break; }
      }
      if (!hit) return false;
    }
    return !state.text || haystack[i].indexOf(state.text) !== -1;
  }

  function ruleRow(r) {
    var def = D[r[0]], status = STATUSES[r[1]];
    var sev = S[def[2]];
    var warning = sev === 'warning' && (status === 'fail' || status === 'unknown');
    var tr = el('tr', 's-' + status + (warning ? ' w-open' : ''));
    var badge = el('span', 'badge s-' + status);
    add(badge, el('span', null, STATUS_ICON[status] + ' ')).lastChild.setAttribute('aria-hidden', 'true');
    badge.appendChild(document.createTextNode(STATUS_TEXT[status]));
    add(tr, add(el('td'), badge, warning ? el('span', 'badge w-open', 'WARNING') : null));
    add(tr, add(el('td'), add(el('code'), document.createTextNode(S[def[0]])),
      el('span', 'rule-title', S[def[1]]), el('span', 'sev ' + sev, sev)));
    var msg = add(el('td'), el('div', 'msg', S[r[2]]));
    if (r[3]) {
      msg.appendChild(el('div', 'waiver', 'Waived: ' + S[r[3][0]] + ' \\u2014 owner ' + S[r[3][1]] + ', expires ' + S[r[3][2]]));
    }
    (r[5] || []).forEach(function (att) {
      var dl = el('dl');
      att.forEach(function (f) { dl.appendChild(add(el('div'), el('dt', null, S[f[0]]), el('dd', null, S[f[1]]))); });
      msg.appendChild(add(el('div', 'att'), el('span', 'att-h', 'Decided by attestation'), dl));
    });
    if (r[4] >= 0) {
      var ev = el('details', 'ev');
      add(ev, el('summary', null, 'Evidence'), el('pre', null, S[r[4]]));
      msg.appendChild(ev);
    }
    tr.appendChild(msg);
    var rem = el('td');
    if (status === 'fail' || status === 'unknown') {
      rem.appendChild(el('div', 'rem', S[def[3]]));
      var refs = def[4];
      if (refs.length) {
        var ul = el('ul', 'refs');
        refs.forEach(function (ref) {
          var li = el('li');
          var url = S[ref];
          if (/^https?:\\/\\//i.test(url)) {
            var a = el('a', null, url);
            a.setAttribute('href', url);
            a.setAttribute('rel', 'noopener noreferrer');
            li.appendChild(a);
          } else {
            li.textContent = url;
          }
          ul.appendChild(li);
        });
        rem.appendChild(ul);
      }
    } else {
      rem.appendChild(el('span', 'muted', '\\u2014'));
    }
    tr.appendChild(rem);
    return tr;
  }

  function accountNode(a) {
    var verdict = VERDICTS[a[2]];
    var d = el('details', 'acct v-' + verdict);
    var sum = el('summary');
    add(sum, el('span', 'badge v-' + verdict, verdict.toUpperCase()), el('span', 'acct-id', S[a[0]]));
    if (a[1] >= 0) sum.appendChild(el('span', 'acct-name', S[a[1]]));
    var c = { fail: 0, unknown: 0, waived: 0, pass: 0 }, w = 0;
    a[3].forEach(function (r) {
      var st = STATUSES[r[1]];
      c[st]++;
      if (S[D[r[0]][2]] === 'warning' && (st === 'fail' || st === 'unknown')) w++;
    });
    var counts = [];
    if (c.fail) counts.push(c.fail + ' failed');
    if (c.unknown) counts.push(c.unknown + ' unknown');
    if (c.waived) counts.push(c.waived + ' waived');
    if (w) counts.push(fmt(w) + (w === 1 ? ' warning' : ' warnings'));
    counts.push(c.pass + ' of ' + a[3].length + ' passed');
    sum.appendChild(el('span', 'acct-counts', counts.join(' \\u00b7 ')));
    d.appendChild(sum);
    var body = el('div', 'acct-body');
    if (a[5]) {
      var p = el('p', 'kv');
      add(p, el('b', null, 'OU path: '), document.createTextNode(a[5].map(s).join(' \\u203a ')));
      body.appendChild(p);
    }
    var table = el('table', 'rules');
    add(table, el('caption', 'sr-only', 'Rule results for account ' + S[a[0]]));
    var head = el('tr');
    ['Status', 'Rule', 'Result', 'Remediation'].forEach(function (h) {
      var th = el('th', null, h); th.setAttribute('scope', 'col'); head.appendChild(th);
    });
    add(table, add(el('thead'), head));
    var tbody = el('tbody');
    a[3].forEach(function (r) { tbody.appendChild(ruleRow(r)); });
    add(body, add(table, tbody));
    var tp = el('p', 'kv');
    tp.appendChild(el('b', null, 'Tags: '));
    if (a[4] === 0) tp.appendChild(document.createTextNode('not collected'));
    else if (!a[4].length) tp.appendChild(document.createTextNode('none'));
    body.appendChild(tp);
    if (a[4] && a[4].length) {
      var tl = el('ul', 'tags');
      a[4].forEach(function (t) {
        var li = el('li');
        add(li, el('code', null, S[t[0]]), document.createTextNode(' = ' + S[t[1]]));
        tl.appendChild(li);
      });
      body.appendChild(tl);
    }
    if (a[7]) {
      var sec = el('section', 'impact');
      sec.appendChild(el('h3', null, S[data.T[0]]));
      if (!a[7][0].length) sec.appendChild(el('p', 'muted', S[data.T[2]]));
      else {
        var fl = el('ul', 'impact-found');
        a[7][0].forEach(function (f) {
          var st = STATUSES[f[0]], sev = S[f[2]];
          var fb = el('span', 'badge s-' + st);
          add(fb, el('span', null, STATUS_ICON[st] + ' ')).lastChild.setAttribute('aria-hidden', 'true');
          fb.appendChild(document.createTextNode(STATUS_TEXT[st]));
          fl.appendChild(add(el('li'), fb, el('code', null, S[f[1]]), el('span', 'sev ' + sev, sev),
            document.createTextNode(' ' + S[f[3]])));
        });
        sec.appendChild(fl);
      }
      add(sec, add(el('p', 'kv'), el('b', null, S[data.T[1]] + ':')));
      var ol = el('ol', 'checklist');
      a[7][1].forEach(function (step) { ol.appendChild(el('li', null, S[step])); });
      sec.appendChild(ol);
      body.appendChild(sec);
    }
    if (a[6] && a[6].length) {
      add(body, add(el('p', 'kv'), el('b', null, 'Notes:')));
      var nl = el('ul', 'notes');
      a[6].forEach(function (n) { nl.appendChild(el('li', null, S[n])); });
      body.appendChild(nl);
    }
    d.appendChild(body);
    return d;
  }

  function render() {
    matches = [];
    for (var i = 0; i < A.length; i++) if (accountMatches(A[i], i)) matches.push(i);
    var pages = Math.max(1, Math.ceil(matches.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var from = state.page * PAGE, to = Math.min(matches.length, from + PAGE);
    var frag = document.createDocumentFragment();
    for (var j = from; j < to; j++) frag.appendChild(accountNode(A[matches[j]]));
    list.textContent = '';
    list.appendChild(frag);
    var filtered = state.verdict || state.rule || state.text;
    els.status.textContent = matches.length === 0
      ? 'No account matches the filter.'
      : 'Showing ' + fmt(from + 1) + '\\u2013' + fmt(to) + ' of ' + fmt(matches.length) +
        (filtered ? ' matching accounts (' + fmt(A.length) + ' in total).' : ' accounts (blocked first).');
    els.page.textContent = 'Page ' + fmt(state.page + 1) + ' of ' + fmt(pages);
    els.prev.disabled = state.page === 0;
    els.next.disabled = state.page >= pages - 1;
    els.pager.hidden = pages <= 1;
  }

  function update() { state.page = 0; render(); }
  els.verdict.addEventListener('change', function () { state.verdict = els.verdict.value; update(); });
  els.rule.addEventListener('change', function () { state.rule = els.rule.value; update(); });
  var timer = 0;
  els.text.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.text = els.text.value.trim().toLowerCase(); update(); }, 150);
  });
  els.prev.addEventListener('click', function () { if (state.page > 0) { state.page--; render(); list.scrollIntoView(); } });
  els.next.addEventListener('click', function () { state.page++; render(); list.scrollIntoView(); });
  Array.prototype.forEach.call(document.querySelectorAll('a[data-verdict]'), function (a) {
    a.addEventListener('click', function () {
      els.verdict.value = a.getAttribute('data-verdict');
      state.verdict = els.verdict.value;
      update();
    });
  });
  els.controls.hidden = false;
  var nojs = document.getElementById('lg-nojs');
  if (nojs) nojs.hidden = true;
  // The server-rendered first page stays as it is; pages are rendered from the data on demand.
  matches = A.map(function (_, i) { return i; });
  var pages = Math.ceil(A.length / PAGE);
  els.page.textContent = 'Page 1 of ' + fmt(pages);
  els.prev.disabled = true;
  els.pager.hidden = pages <= 1;
  document.documentElement.setAttribute('data-lg-ready', '1');
})();
`;
