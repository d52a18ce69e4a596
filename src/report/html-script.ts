/**
 * report.html's small script, inlined and allowed by its hash in the page's
 * Content-Security-Policy. It renders pages of accounts from the JSON data
 * island, filters them, shows or hides the passed rules, and opens every
 * <details> for printing.
 *
 * It never assigns data to innerHTML: every string from the report reaches
 * the page through textContent or setAttribute, so it is text, never markup.
 *
 * Data layout (html-island.ts):
 *  S  strings; an entry is a string, or parts to join where 0 stands for the
 *     account's id, 1 for its name and [i] for the string S[i]
 *  D  rule definitions [id, title, severity, [[url, title]...]]
 *  R  rule results [def, status, message, remediation|0, waiver|0, evidence|-1, attestations|0];
 *     message and remediation are [prose, code, prose, ...] string indices;
 *     waiver [reason, owner, expires]; attestations [[value...]...] (labels in T[3])
 *  L  rule lists [result...] (failing first)
 *  P  OU paths [[name|-1, id]...];  G  tag lists [[key, value]...]
 *  I  impact sections [[[status, rule, severity, message]...], [step...]]
 *  A  accounts in display order [id, name|-1, verdict, L, G|-1, P|-1, notes|0, I|-1]
 *  server  accounts the markup already holds (the first of page 1)
 *  T  [impact title, checklist title, nothing found, [attestation field labels]]
 */
export const HTML_SCRIPT = `
(function () {
  'use strict';
  var island = document.getElementById('lg-data');
  var list = document.getElementById('lg-list');
  if (!island || !list) return;
  var data = JSON.parse(island.textContent);
  var S = data.S, D = data.D, R = data.R, L = data.L, A = data.A, PAGE = data.pageSize;
  var VERDICTS = ['blocked', 'unknown', 'ready'];
  var STATUSES = ['fail', 'unknown', 'waived', 'pass'];
  var STATUS_TEXT = { fail: 'FAIL', unknown: 'UNKNOWN', waived: 'WAIVED', pass: 'PASS' };
  var STATUS_ICON = { fail: '\\u2717', unknown: '?', waived: '\\u2013', pass: '\\u2713' };
  var state = { verdict: '', rule: '', text: '', page: 0, all: false };
  var matches = [];
  function $(id) { return document.getElementById(id); }
  var els = {
    controls: $('lg-controls'), verdict: $('lg-verdict'), rule: $('lg-rule'), text: $('lg-text'),
    all: $('lg-all'), status: $('lg-status'), pager: $('lg-pager'), prev: $('lg-prev'),
    next: $('lg-next'), page: $('lg-page')
  };
  var cur = null;
  function s(i) {
    if (i < 0) return '';
    var v = S[i];
    if (typeof v === 'string') return v;
    var out = '';
    for (var k = 0; k < v.length; k++) {
      var p = v[k];
      out += p === 0 ? cur[0] : p === 1 ? S[cur[1]] : typeof p === 'object' ? s(p[0]) : p;
    }
    return out;
  }
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
  function txt(t) { return document.createTextNode(t); }
  function fmt(n) { return n.toLocaleString('en-US'); }
  function rich(parent, segs) {
    segs.forEach(function (g, i) {
      var t = s(g);
      if (i % 2) parent.appendChild(el('code', null, t));
      else if (t) parent.appendChild(txt(t));
    });
    return parent;
  }
  function badge(status) {
    var b = el('span', 'badge s-' + status);
    add(b, el('span', null, STATUS_ICON[status] + ' ')).lastChild.setAttribute('aria-hidden', 'true');
    b.appendChild(txt(STATUS_TEXT[status]));
    return b;
  }

  var haystack = A.map(function (a) {
    cur = a;
    var parts = [a[0], s(a[1])];
    if (a[4] >= 0) data.G[a[4]].forEach(function (t) { parts.push(S[t[0]] + '=' + S[t[1]]); });
    if (a[5] >= 0) data.P[a[5]].forEach(function (o) { parts.push(s(o[0]), S[o[1]]); });
    return parts.join('\\n').toLowerCase();
  });

  function accountMatches(a, i) {
    if (state.verdict && VERDICTS[a[2]] !== state.verdict) return false;
    if (state.rule) {
      var rs = L[a[3]], hit = false;
      for (var k = 0; k < rs.length; k++) {
        var r = R[rs[k]];
        if (S[D[r[0]][0]] === state.rule && STATUSES[r[1]] !== 'pass') { hit = true; break; }
      }
      if (!hit) return false;
    }
    return !state.text || haystack[i].indexOf(state.text) !== -1;
  }

  function ruleRow(r, failing) {
    var def = D[r[0]], status = STATUSES[r[1]], sev = S[def[2]];
    var warning = sev === 'warning' && (status === 'fail' || status === 'unknown');
    var tr = el('tr', 's-' + status + (warning ? ' w-open' : ''));
    add(tr, add(el('td'), badge(status), warning ? el('span', 'badge w-open', 'WARNING') : null));
    add(tr, add(el('td'), el('code', null, S[def[0]]), el('span', 'rule-title', S[def[1]]), el('span', 'sev ' + sev, sev)));
    var msg = add(el('td'), rich(el('div', 'msg'), r[2]));
    if (r[4]) msg.appendChild(el('div', 'waiver', 'Waived: ' + s(r[4][0]) + ' \\u2014 owner ' + s(r[4][1]) + ', expires ' + s(r[4][2])));
    (r[6] || []).forEach(function (att) {
      var dl = el('dl');
      att.forEach(function (v, k) { dl.appendChild(add(el('div'), el('dt', null, S[data.T[3][k]]), el('dd', null, s(v)))); });
      msg.appendChild(add(el('div', 'att'), el('span', 'att-h', 'Decided by attestation'), dl));
    });
    if (r[5] >= 0) msg.appendChild(add(el('details', 'ev'), el('summary', null, 'Evidence'), el('pre', null, s(r[5]))));
    tr.appendChild(msg);
    if (!failing) return tr;
    var rem = el('td');
    if (r[3]) {
      rem.appendChild(rich(el('div', 'rem'), r[3]));
      if (def[3].length) {
        var ul = el('ul', 'refs');
        def[3].forEach(function (ref) {
          var li = el('li'), url = S[ref[0]];
          if (/^https?:\\/\\/[^\\s"'<>\`]+$/i.test(url)) {
            var a = el('a', null, S[ref[1]]);
            a.setAttribute('href', url);
            a.setAttribute('rel', 'noopener noreferrer');
            li.appendChild(a);
          } else li.textContent = url;
          ul.appendChild(li);
        });
        rem.appendChild(ul);
      }
    } else rem.appendChild(el('span', 'muted', '\\u2014'));
    tr.appendChild(rem);
    return tr;
  }

  function rulesTable(caption, rows, failing) {
    var table = el('table', 'rules' + (failing ? '' : ' passes'));
    table.appendChild(el('caption', 'sr-only', caption));
    var head = el('tr');
    (failing ? ['Status', 'Rule', 'Result', 'Remediation'] : ['Status', 'Rule', 'Result']).forEach(function (h) {
      var th = el('th', null, h); th.setAttribute('scope', 'col'); head.appendChild(th);
    });
    add(table, add(el('thead'), head));
    var tbody = el('tbody');
    rows.forEach(function (r) { tbody.appendChild(ruleRow(r, failing)); });
    return add(table, tbody);
  }

  function counts(rs) {
    var c = { fail: 0, unknown: 0, waived: 0, pass: 0 }, w = 0;
    rs.forEach(function (r) {
      var st = STATUSES[r[1]];
      c[st]++;
      if (S[D[r[0]][2]] === 'warning' && (st === 'fail' || st === 'unknown')) w++;
    });
    var out = [];
    if (c.fail) out.push(c.fail + ' failed');
    if (c.unknown) out.push(c.unknown + ' unknown');
    if (c.waived) out.push(c.waived + ' waived');
    if (w) out.push(fmt(w) + (w === 1 ? ' warning' : ' warnings'));
    out.push(c.pass + ' of ' + rs.length + ' passed');
    return out.join(' \\u00b7 ');
  }

  function impactNode(imp) {
    var sec = el('section', 'impact');
    sec.appendChild(el('h3', null, S[data.T[0]]));
    if (!imp[0].length) sec.appendChild(el('p', 'muted', S[data.T[2]]));
    else {
      var fl = el('ul', 'impact-found');
      imp[0].forEach(function (f) {
        var sev = S[f[2]];
        var li = add(el('li'), badge(STATUSES[f[0]]), el('code', null, S[f[1]]), el('span', 'sev ' + sev, sev), txt(' '));
        fl.appendChild(rich(li, f[3]));
      });
      sec.appendChild(fl);
    }
    add(sec, add(el('p', 'kv'), el('b', null, S[data.T[1]] + ':')));
    var ol = el('ol', 'checklist');
    imp[1].forEach(function (step) { ol.appendChild(rich(el('li'), step)); });
    return add(sec, ol);
  }

  function accountNode(a) {
    cur = a;
    var verdict = VERDICTS[a[2]], id = a[0];
    var d = el('details', 'acct v-' + verdict);
    var sum = add(el('summary'), el('span', 'badge v-' + verdict, verdict.toUpperCase()), el('span', 'acct-id', id));
    if (a[1] >= 0) sum.appendChild(el('span', 'acct-name', S[a[1]]));
    var rs = L[a[3]].map(function (k) { return R[k]; });
    sum.appendChild(el('span', 'acct-counts', counts(rs)));
    d.appendChild(sum);
    var body = el('div', 'acct-body');
    if (a[5] >= 0) {
      var p = add(el('p', 'kv'), el('b', null, 'OU path: '));
      data.P[a[5]].forEach(function (o, i) {
        if (i) p.appendChild(txt(' \\u203a '));
        var span = el('span', 'ou');
        if (o[0] >= 0) span.appendChild(txt(S[o[0]] + ' '));
        p.appendChild(add(span, el('code', null, S[o[1]])));
      });
      body.appendChild(p);
    }
    var problems = rs.filter(function (r) { return STATUSES[r[1]] !== 'pass'; });
    var passes = rs.filter(function (r) { return STATUSES[r[1]] === 'pass'; });
    if (problems.length) body.appendChild(rulesTable('Rules not passing for account ' + id, problems, true));
    if (passes.length) {
      var pd = add(el('details', 'passed'), el('summary', null, passes.length + ' passed'));
      pd.appendChild(rulesTable('Rules passed for account ' + id, passes, false));
      if (state.all) pd.open = true;
      body.appendChild(pd);
    }
    var tp = add(el('p', 'kv'), el('b', null, 'Tags: '));
    var tags = a[4] >= 0 ? data.G[a[4]] : null;
    if (!tags) tp.appendChild(txt('not collected'));
    else if (!tags.length) tp.appendChild(txt('none'));
    body.appendChild(tp);
    if (tags && tags.length) {
      var tl = el('ul', 'tags');
      tags.forEach(function (t) { tl.appendChild(add(el('li'), el('code', null, S[t[0]]), txt(' = ' + S[t[1]]))); });
      body.appendChild(tl);
    }
    if (a[7] >= 0) body.appendChild(impactNode(data.I[a[7]]));
    if (a[6] && a[6].length) {
      add(body, add(el('p', 'kv'), el('b', null, 'Notes:')));
      var nl = el('ul', 'notes');
      a[6].forEach(function (n) { nl.appendChild(el('li', null, s(n))); });
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
  els.all.addEventListener('change', function () {
    state.all = els.all.checked;
    Array.prototype.forEach.call(list.querySelectorAll('details.passed'), function (d) { d.open = state.all; });
  });
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

  // Printing shows everything on the page: every closed <details> opens, and closes again after.
  var opened = [];
  function beforePrint() {
    Array.prototype.forEach.call(document.querySelectorAll('details:not([open])'), function (d) { d.open = true; opened.push(d); });
    document.documentElement.setAttribute('data-lg-print', '1');
  }
  function afterPrint() {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
    document.documentElement.removeAttribute('data-lg-print');
  }
  window.addEventListener('beforeprint', beforePrint);
  window.addEventListener('afterprint', afterPrint);
  var mq = window.matchMedia ? window.matchMedia('print') : null;
  if (mq && mq.addEventListener) mq.addEventListener('change', function (e) { if (e.matches) beforePrint(); else afterPrint(); });

  els.controls.hidden = false;
  var nojs = $('lg-nojs');
  if (nojs) nojs.hidden = true;
  // The server-rendered accounts stay as they are when they are all of page 1; otherwise page 1 is rendered here.
  if (data.server < Math.min(PAGE, A.length)) render();
  else {
    matches = A.map(function (_, i) { return i; });
    var pages = Math.ceil(A.length / PAGE);
    els.page.textContent = 'Page 1 of ' + fmt(pages);
    els.prev.disabled = true;
    els.pager.hidden = pages <= 1;
  }
  document.documentElement.setAttribute('data-lg-ready', '1');
  // Time from navigation start to interactive, for npm run bench.
  if (window.performance && performance.mark) performance.mark('lg-ready');
})();
`;
