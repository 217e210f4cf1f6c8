// The dashboard page's own script (inlined by render.ts): it reads the embedded JSON (#mitey-data) and builds
// the file table once, then sorts and filters it by moving and hiding rows, and builds a file's drill-down of
// failures only when the file is opened, and a disagreement's drill-down only when its line is opened. Everything
// taken from the data enters the DOM as text (textContent, createTextNode) or as attribute values, never as markup.
//
// Kept as plain browser JavaScript in a string (no backticks, no template substitutions, and never the
// sequences that would end or confuse a script element); render.ts checks the latter.

export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var FIRST_CHUNK = 100, MORE_CHUNK = 400, DEBOUNCE_MS = 150;
  var root = document.getElementById('files');
  var dataEl = document.getElementById('mitey-data');
  if (!root || !dataEl) return;
  var D;
  try {
    D = JSON.parse(dataEl.textContent || 'null');
  } catch (e) {
    root.appendChild(el('p', 'note', 'The embedded data could not be read: ' + e));
    return;
  }
  if (!D || !Array.isArray(D.files)) return;

  var engines = (D.engines || []).map(function (e) { return String(e.engine); });
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }
  function cssIdent(s) { return String(s).replace(/[^a-z0-9_-]/gi, ''); }

  // ---- the table, built once ----
  var table = el('table', 'files grid');
  var thead = el('thead');
  var tbody = el('tbody');
  table.appendChild(thead);
  table.appendChild(tbody);
  var sortHeads = [];

  function sortHead(label, key, firstDir, extra) {
    var th = el('th', 'sort' + (extra ? ' ' + extra : ''), label);
    th.tabIndex = 0;
    th.setAttribute('data-sort', key);
    th._key = key;
    th._firstDir = firstDir;
    sortHeads.push(th);
    return th;
  }

  var head1 = el('tr'), head2 = el('tr');
  var fileTh = sortHead('File', 'file', 1);
  fileTh.rowSpan = 2;
  head1.appendChild(fileTh);
  engines.forEach(function (name, i) {
    var th = el('th', 'eng', name);
    th.colSpan = 3;
    head1.appendChild(th);
    head2.appendChild(sortHead('passed', 'pass:' + i, 1, 'first'));
    head2.appendChild(sortHead('failures', 'fail:' + i, -1, 'num'));
    head2.appendChild(sortHead('status', 'status:' + i, -1));
  });
  thead.appendChild(head1);
  thead.appendChild(head2);
  var nCols = 1 + 3 * engines.length;

  // A file's outcomes as a bar: each non-zero outcome at least a few pixels wide (CSS), so one failure shows.
  var BAR_OUTCOMES = ['passed', 'failed', 'skipped', 'blocked', 'assembler', 'unsupported'];
  function minibar(c, total) {
    var bar = el('span', 'minibar');
    var parts = [];
    BAR_OUTCOMES.forEach(function (o) {
      var n = +c[o] || 0;
      if (!n || !total) return;
      var seg = el('span', 'o-' + o);
      seg.style.width = (100 * n / total).toFixed(2) + '%';
      bar.appendChild(seg);
      parts.push(n + ' ' + o);
    });
    bar.title = total ? parts.join(', ') : 'no assertions';
    return bar;
  }

  function statusRank(cell) {
    if (!cell) return 1;
    return cell.status === 'ok' ? 0 : 2;
  }

  var rows = D.files.map(function (f, index) {
    var file = String(f.file);
    var tr = el('tr', 'row');
    tr.tabIndex = 0;
    tr.setAttribute('data-file', file);
    tr.setAttribute('aria-expanded', 'false');
    var r = { file: file, lower: file.toLowerCase(), index: index, tr: tr, detail: null, open: false,
      anyFail: false, share: [], fails: [], rank: [], visible: true };
    tr._row = r;
    tr.appendChild(el('td', 'file', file));
    engines.forEach(function (name) {
      var cell = f.cells ? f.cells[name] : undefined;
      var pass = el('td', 'num first');
      var fail = el('td', 'num');
      var status = el('td');
      pass.setAttribute('data-engine', name);
      if (!cell) {
        pass.appendChild(el('span', 'zero', '\u2014'));
        status.appendChild(el('span', 'status missing', 'not run'));
        r.share.push(-1);
        r.fails.push(-1);
      } else {
        var c = cell.counts || {};
        var passed = +c.passed || 0, total = +c.total || 0, failures = +cell.failures || 0;
        // Unsupported assertions (a feature the engine does not claim) are neither passes nor failures.
        var unsupported = +c.unsupported || 0, ran = Math.max(0, total - unsupported);
        if (total && !ran) {
          pass.classList.add('all-unsupported');
          pass.appendChild(document.createTextNode(unsupported + ' unsupported'));
        } else {
          pass.appendChild(document.createTextNode(passed + ' / ' + ran));
          if (unsupported) pass.appendChild(el('span', 'unsup', ' +' + unsupported + ' unsupported'));
        }
        pass.appendChild(minibar(c, total));
        if (failures > 0) {
          var b = el('button', 'fails', failures);
          b.type = 'button';
          b.title = 'Show the failures';
          fail.appendChild(b);
        } else fail.appendChild(el('span', 'zero', '0'));
        if (cell.status !== 'ok') status.appendChild(el('span', 'status', cell.status));
        if (failures > 0 || (+c.failed || 0) > 0 || cell.status !== 'ok') r.anyFail = true;
        r.share.push(ran ? passed / ran : 2);
        r.fails.push(failures);
      }
      r.rank.push(statusRank(cell));
      tr.appendChild(pass);
      tr.appendChild(fail);
      tr.appendChild(status);
    });
    return r;
  });
  var byFile = new Map();
  rows.forEach(function (r) { if (!byFile.has(r.file)) byFile.set(r.file, r); });

  // Files with failures first (then by name): the ones a reader opens the page for.
  var failing = rows.filter(function (r) { return r.anyFail; }).length;
  var frag = document.createDocumentFragment();
  rows.filter(function (r) { return r.anyFail; }).concat(rows.filter(function (r) { return !r.anyFail; }))
    .forEach(function (r) { frag.appendChild(r.tr); });
  tbody.appendChild(frag);

  // ---- toolbar ----
  var toolbar = el('div', 'toolbar');
  var search = el('input');
  search.type = 'search';
  search.placeholder = 'Filter by file name\u2026';
  search.setAttribute('aria-label', 'Filter files by name');
  search.id = 'file-filter';
  var onlyLabel = el('label');
  var only = el('input');
  only.type = 'checkbox';
  only.id = 'only-failures';
  onlyLabel.appendChild(only);
  onlyLabel.appendChild(document.createTextNode('only with failures'));
  var shown = el('span', 'muted');
  shown.id = 'file-count';
  shown.setAttribute('aria-live', 'polite');
  toolbar.appendChild(search);
  toolbar.appendChild(onlyLabel);
  toolbar.appendChild(shown);
  var wrap = el('div', 'scroll');
  wrap.appendChild(table);
  var placeholder = document.getElementById('files-loading');
  if (placeholder) placeholder.remove();
  root.appendChild(toolbar);
  root.appendChild(wrap);

  var sortKey = null, sortDir = 1; // null: the default order, failures first

  // ---- filter: hide rows, never rebuild them ----
  function applyFilter() {
    var q = search.value.trim().toLowerCase();
    var onlyFail = only.checked;
    var n = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var vis = (q === '' || r.lower.indexOf(q) !== -1) && (!onlyFail || r.anyFail);
      if (vis !== r.visible) {
        r.visible = vis;
        r.tr.hidden = !vis;
        if (r.detail) r.detail.hidden = !(vis && r.open);
      }
      if (vis) n++;
    }
    shown.textContent = (n === rows.length ? rows.length + ' files' : n + ' of ' + rows.length + ' files') +
      (failing && !onlyFail && sortKey === null ? ', the ' + failing + ' with failures first' : '');
  }
  var timer = 0;
  search.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(applyFilter, DEBOUNCE_MS);
  });
  search.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') { clearTimeout(timer); applyFilter(); }
  });
  only.addEventListener('change', applyFilter);
  applyFilter();

  // ---- sort: reorder the existing rows ----
  function compareBy(key) {
    var parts = key.split(':');
    var kind = parts[0], i = +parts[1];
    var byName = function (a, b) { return collator.compare(a.file, b.file) || a.index - b.index; };
    if (kind === 'file') return byName;
    var field = kind === 'pass' ? 'share' : kind === 'fail' ? 'fails' : 'rank';
    return function (a, b) { return a[field][i] - b[field][i] || byName(a, b); };
  }
  function sortBy(key) {
    var th = sortHeads.filter(function (h) { return h._key === key; })[0];
    sortDir = sortKey === key ? -sortDir : th._firstDir;
    sortKey = key;
    var cmp = compareBy(key), dir = sortDir;
    var order = rows.slice().sort(function (a, b) { return dir * cmp(a, b); });
    var f = document.createDocumentFragment();
    order.forEach(function (r) {
      f.appendChild(r.tr);
      if (r.detail) f.appendChild(r.detail);
    });
    tbody.appendChild(f);
    applyFilter();
    sortHeads.forEach(function (h) {
      if (h === th) h.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
      else h.removeAttribute('aria-sort');
    });
  }
  thead.addEventListener('click', function (e) {
    var th = e.target.closest && e.target.closest('th.sort');
    if (th) sortBy(th._key);
  });
  thead.addEventListener('keydown', function (e) {
    var th = e.target.closest && e.target.closest('th.sort');
    if (th && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); sortBy(th._key); }
  });

  // ---- drill-down, built on first open ----
  var failureIndex = null; // file -> engine -> failures
  function failuresOf(file) {
    if (!failureIndex) {
      failureIndex = new Map();
      var list = D.failures || [];
      for (var i = 0; i < list.length; i++) {
        var f = list[i];
        var m = failureIndex.get(f.file);
        if (!m) failureIndex.set(f.file, (m = new Map()));
        var a = m.get(f.engine);
        if (!a) m.set(f.engine, (a = []));
        a.push(f);
      }
    }
    return failureIndex.get(file) || new Map();
  }

  function field(dl, label, value) {
    if (value === undefined || value === null || value === '') return;
    dl.appendChild(el('dt', '', label));
    dl.appendChild(el('dd', '', value));
  }

  /** A command to copy: the one that reruns a directive. */
  function rerunLine(command, title) {
    var rr = el('div', 'rerun');
    rr.appendChild(el('code', '', command));
    var copy = el('button', 'copy', 'Copy');
    copy.type = 'button';
    copy.title = title;
    rr.appendChild(copy);
    return rr;
  }

  function renderFailure(f) {
    var outcome = cssIdent(f.outcome);
    var loc = f.file + ':' + f.line + ':' + f.col;
    var box = el('div', 'failure o-' + outcome);
    box.setAttribute('data-failure', f.engine + ':' + loc);
    var where = el('div', 'where');
    where.appendChild(el('span', 'loc', loc));
    where.appendChild(el('span', 'dir', f.directive));
    where.appendChild(el('span', 'badge o-' + outcome, f.outcome));
    if (f.detail) where.appendChild(el('span', 'detail-text', f.detail));
    box.appendChild(where);
    if (f.source) box.appendChild(el('pre', '', f.source));
    var dl = el('dl');
    field(dl, 'expected', f.expected);
    field(dl, 'actual', f.actual);
    field(dl, 'expected message', f.expectedMessage);
    field(dl, 'actual message', f.actualMessage);
    if (dl.firstChild) box.appendChild(dl);
    if (f.rerun) box.appendChild(rerunLine(f.rerun, 'Copy the command that reruns this directive'));
    return box;
  }

  function renderChunk(list, from, count, into, before) {
    var f = document.createDocumentFragment();
    var end = Math.min(list.length, from + count);
    for (var i = from; i < end; i++) f.appendChild(renderFailure(list[i]));
    into.insertBefore(f, before);
    return end;
  }

  function engineSection(r, name, list, cell) {
    var sec = el('section', 'eng-failures');
    sec.setAttribute('data-engine', name);
    var head = el('div', 'eng-head', name + ' ');
    var info = [];
    if (!cell) info.push('not run on this engine');
    else {
      var c = cell.counts || {};
      info.push((+c.passed || 0) + ' / ' + (+c.total || 0) + ' passed');
      if (cell.status !== 'ok') info.push('status: ' + cell.status);
      var nonPass = (+c.total || 0) - (+c.passed || 0);
      info.push(list.length + (list.length === 1 ? ' result listed' : ' results listed') +
        (nonPass > list.length ? ' (of ' + nonPass + ' non-passes)' : ''));
    }
    head.appendChild(el('span', 'muted', '\u2014 ' + info.join(', ')));
    sec.appendChild(head);
    if (!list.length) return sec;
    list.sort(function (a, b) { return a.line - b.line || a.col - b.col; });
    var box = el('div', 'failure-list');
    sec.appendChild(box);
    var done = renderChunk(list, 0, FIRST_CHUNK, box, null);
    if (done < list.length) {
      var more = el('button', 'more');
      more.type = 'button';
      var label = function () {
        more.textContent = 'Show ' + Math.min(MORE_CHUNK, list.length - done) + ' more (' + (list.length - done) + ' left)';
      };
      label();
      more.addEventListener('click', function () {
        done = renderChunk(list, done, MORE_CHUNK, box, null);
        if (done >= list.length) more.remove();
        else label();
      });
      sec.appendChild(more);
      sec._showAll = function () {
        if (done < list.length) { done = renderChunk(list, done, list.length, box, null); more.remove(); }
      };
    }
    return sec;
  }

  function buildDetail(r) {
    var tr = el('tr', 'detail');
    var td = el('td');
    td.colSpan = nCols;
    tr.appendChild(td);
    var per = failuresOf(r.file);
    var f = D.files[r.index];
    var names = engines.slice();
    per.forEach(function (_, name) { if (names.indexOf(name) === -1) names.push(name); });
    names.forEach(function (name) {
      var list = (per.get(name) || []).slice();
      td.appendChild(engineSection(r, name, list, f.cells ? f.cells[name] : undefined));
    });
    return tr;
  }

  function setOpen(r, open) {
    if (open === r.open) return;
    r.open = open;
    if (open && !r.detail) {
      r.detail = buildDetail(r);
      r.tr.after(r.detail);
    }
    if (r.detail) r.detail.hidden = !(open && r.visible);
    r.tr.classList.toggle('open', open);
    r.tr.setAttribute('aria-expanded', String(open));
  }

  tbody.addEventListener('click', function (e) {
    var tr = e.target.closest && e.target.closest('tr.row');
    if (!tr || !tr._row) return;
    var onButton = e.target.closest('button.fails');
    var sel = window.getSelection && window.getSelection();
    if (!onButton && sel && sel.type === 'Range' && tr.contains(sel.anchorNode)) return; // selecting text
    setOpen(tr._row, onButton ? true : !tr._row.open);
  });
  tbody.addEventListener('keydown', function (e) {
    if (e.target.classList && e.target.classList.contains('row') && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      setOpen(e.target._row, !e.target._row.open);
    }
  });

  // ---- disagreements: a line opens what each engine made of the assertion, and its rerun commands ----
  var disList = (D.disagreements && D.disagreements.list) || [];
  var disByKey = new Map();
  disList.forEach(function (d) { disByKey.set(d.file + ':' + d.line + ':' + d.col, d); });

  function sideBox(d, name) {
    var s = d.engines ? d.engines[name] : undefined;
    var outcome = s ? String(s.outcome) : 'none';
    var box = el('div', 'failure side-box o-' + cssIdent(outcome));
    box.setAttribute('data-side', name);
    var where = el('div', 'where');
    where.appendChild(el('span', 'loc', name));
    where.appendChild(el('span', 'badge o-' + cssIdent(outcome), !s ? 'did not run the file' : outcome === 'unreached' ? 'not reached' : outcome));
    if (d.odd === name) where.appendChild(el('span', 'odd-badge', 'the odd one out'));
    if (s && s.detail) where.appendChild(el('span', 'detail-text', s.detail));
    box.appendChild(where);
    if (!s) return box;
    var dl = el('dl');
    field(dl, 'actual', s.actual);
    field(dl, 'actual message', s.actualMessage);
    if (dl.firstChild) box.appendChild(dl);
    if (s.rerun) box.appendChild(rerunLine(s.rerun, 'Copy the command that reruns this assertion on ' + name));
    return box;
  }

  function buildDisDetail(tr, d) {
    var detail = el('tr', 'dis-detail');
    var td = el('td');
    td.colSpan = tr.children.length;
    detail.appendChild(td);
    var box = el('div', 'dis-sides'); // stays in view while the table scrolls sideways
    td.appendChild(box);
    if (d.source) box.appendChild(el('pre', 'source', d.source));
    var dl = el('dl');
    field(dl, 'expected', d.expected);
    if (dl.firstChild) box.appendChild(dl);
    var names = engines.slice();
    Object.keys(d.engines || {}).forEach(function (n) { if (names.indexOf(n) === -1) names.push(n); });
    names.forEach(function (n) { box.appendChild(sideBox(d, n)); });
    return detail;
  }

  function toggleDisagreement(tr) {
    var d = disByKey.get(tr.getAttribute('data-disagreement'));
    if (!d) return;
    var open = !tr.classList.contains('open');
    if (open && !tr._detail) {
      tr._detail = buildDisDetail(tr, d);
      tr.after(tr._detail);
    }
    if (tr._detail) tr._detail.hidden = !open;
    tr.classList.toggle('open', open);
    tr.setAttribute('aria-expanded', String(open));
  }

  var disBody = document.querySelector('#disagreements table.disagreements tbody');
  if (disBody) {
    disBody.addEventListener('click', function (e) {
      if (e.target.closest('a, button, .dis-detail')) return; // the file link jumps; copy buttons copy
      var tr = e.target.closest('tr[data-disagreement]');
      var sel = window.getSelection && window.getSelection();
      if (!tr || (sel && sel.type === 'Range' && tr.contains(sel.anchorNode))) return; // selecting text
      toggleDisagreement(tr);
    });
    disBody.addEventListener('keydown', function (e) {
      if (e.target.hasAttribute && e.target.hasAttribute('data-disagreement') && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        toggleDisagreement(e.target);
      }
    });
  }

  // ---- copy buttons ----
  function copied(btn, ok) {
    btn.textContent = ok ? 'Copied' : 'Selected';
    setTimeout(function () { btn.textContent = 'Copy'; }, 1200);
  }
  document.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('button.copy');
    if (!btn) return;
    var code = btn.parentNode.querySelector('code');
    var text = code.textContent;
    var fallback = function () {
      var range = document.createRange();
      range.selectNodeContents(code);
      var s = window.getSelection();
      s.removeAllRanges();
      s.addRange(range);
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (_) { ok = false; }
      copied(btn, ok);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { copied(btn, true); }, fallback);
    } else fallback();
  });

  // ---- jumps from the changes section (and #file=… links) to a file's drill-down ----
  function jump(file, failureKey) {
    var r = byFile.get(file);
    if (!r) return false;
    if (!r.visible) {
      search.value = '';
      only.checked = false;
      applyFilter();
    }
    setOpen(r, true);
    var target = r.tr;
    if (failureKey && r.detail) {
      var sections = r.detail.querySelectorAll('section.eng-failures');
      for (var s = 0; s < sections.length && target === r.tr; s++) {
        var found = findFailure(sections[s], failureKey);
        if (!found && sections[s]._showAll && failureKey.indexOf(sections[s].getAttribute('data-engine') + ':') === 0) {
          sections[s]._showAll();
          found = findFailure(sections[s], failureKey);
        }
        if (found) target = found;
      }
    }
    target.scrollIntoView({ block: target === r.tr ? 'start' : 'center' });
    if (target !== r.tr) {
      target.style.outline = '2px solid #0969da';
      setTimeout(function () { target.style.outline = ''; }, 2000);
    }
    return true;
  }
  function findFailure(scope, key) {
    var all = scope.querySelectorAll('[data-failure]');
    for (var i = 0; i < all.length; i++) if (all[i].getAttribute('data-failure') === key) return all[i];
    return null;
  }
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('[data-jump]');
    if (!b || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    jump(b.getAttribute('data-jump'), b.getAttribute('data-jump-failure'));
  });
  if (location.hash.indexOf('#file=') === 0) {
    try { jump(decodeURIComponent(location.hash.slice(6))); } catch (_) { /* a malformed link */ }
  }
})();
`;
