// The dashboard page's stylesheet (inlined into the page by render.ts): system fonts, a light theme, and the
// outcome colours that the summary bars, the legend and the file table share.

/**
 * The colour of each assertion outcome, used by the SVG bars (render.ts) and, through classes, by the CSS.
 * Unsupported is a neutral blue-grey: an engine that lacks a feature has not failed its tests.
 */
export const OUTCOME_COLOURS: Readonly<Record<string, string>> = {
  passed: '#2e9e4f',
  failed: '#d1242f',
  blocked: '#e16f24',
  assembler: '#8250df',
  unsupported: '#9fb0c3',
  skipped: '#d0d7de',
};

const outcomeRules = Object.entries(OUTCOME_COLOURS)
  .map(([o, c]) => `.o-${o}{--oc:${c}}`)
  .join('\n');

export const PAGE_CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--accent:#0969da;--bad:#d1242f;--good:#1a7f37;
--mono:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;color-scheme:light}
*{box-sizing:border-box}
html{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:#fff}
body{margin:0}
main{max-width:1440px;margin:0 auto;padding:0 24px 48px}
header.top{border-bottom:1px solid var(--line);background:var(--soft)}
header.top .inner{max-width:1440px;margin:0 auto;padding:16px 24px 10px}
h1{font-size:22px;margin:0 0 4px;font-weight:600}
h1 .suite{font-family:var(--mono);font-size:17px;font-weight:500;color:var(--muted);word-break:break-all}
h2{font-size:17px;margin:28px 0 10px;font-weight:600;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:14px;margin:14px 0 6px;font-weight:600}
.meta{color:var(--muted);display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center}
.chip{display:inline-block;border:1px solid var(--line);border-radius:12px;padding:1px 9px;background:#fff;font-size:12.5px}
.chip b{font-weight:600}
.chip code{font-family:var(--mono);font-size:12px}
nav.sections{display:flex;gap:14px;margin-top:8px;font-size:13px}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
.muted{color:var(--muted)}
.mono,code,pre{font-family:var(--mono);font-size:12.5px}
.scroll{overflow-x:auto}
table{border-collapse:collapse}
th,td{padding:4px 7px;text-align:left;vertical-align:top}
th{font-weight:600;font-size:12.5px;color:var(--muted);white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.grid>thead>tr>th{border-bottom:1px solid var(--line)}
table.grid>tbody>tr>td{border-bottom:1px solid #eaeef2}
.zero{color:#afb8c1}
/* an engine's name as a column header: a command line's first lines, all of it in the tooltip */
.eng-name{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;overflow:hidden;overflow-wrap:break-word}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:0 40px}
.cols>*{min-width:0} /* a wide table scrolls in its column instead of widening the page */

/* summary */
.bars{display:grid;grid-template-columns:max-content minmax(200px,1fr) max-content;gap:8px 12px;align-items:center;margin:6px 0 6px}
.bars .name{font-weight:600;max-width:260px;overflow-wrap:anywhere;grid-row:span 2;align-self:start;padding-top:1px}
/* under the bar, so that a long version does not narrow every bar */
.bars .identity{grid-column:2/-1;display:flex;flex-wrap:wrap;gap:0 10px;font-size:11.5px;color:var(--muted);margin:-7px 0 2px}
.bars .identity code{font-size:11px}
ul.absent{list-style:none;margin:6px 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 24px;font-size:12.5px;color:var(--muted)}
ul.absent b{color:var(--fg);font-weight:600}
ul.absent code{background:var(--soft);border-radius:4px;padding:0 5px;word-break:break-all}
.bars svg{display:block;width:100%;height:22px;border-radius:4px;background:#eaeef2}
.bars .headline{display:flex;flex-wrap:wrap;gap:0 12px;align-items:baseline;font-variant-numeric:tabular-nums}
.bars .headline>*{white-space:nowrap}
.bars .headline .pct{font-size:16px;font-weight:600;margin-right:-8px}
.bars .headline .zero{font-weight:600}
.unsup{color:#57687a}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12.5px;color:var(--muted);margin-bottom:8px}
.legend span::before,.sw::before{content:"";display:inline-block;width:10px;height:10px;border-radius:2px;background:var(--oc);margin-right:5px;vertical-align:-1px}
${outcomeRules}
/* counts: fits a 1,000 px window (headers wrap, tight padding) */
table.summary th{white-space:normal;vertical-align:bottom;font-size:12px}
table.summary th,table.summary td{padding:4px 4px}
table.summary th.num .sw{display:block;width:10px;height:10px;border-radius:2px;background:var(--oc);margin:0 0 3px auto}
table.summary th.group{text-align:center;border-bottom:1px solid var(--line)}
table.summary .sep{border-left:1px solid var(--line)}
table.summary .bad{color:var(--bad);font-weight:600}
table.summary td.engine b{font-size:14px;display:inline-block;max-width:170px;overflow-wrap:anywhere}

/* failures list: above the fold, one line per failure, the long values cut short (whole in the tooltip) */
#failures .per-engine{display:flex;flex-wrap:wrap;gap:4px 18px;align-items:baseline;margin:0 0 6px}
#failures .per-engine .note{margin:0}
.failures-box{max-height:min(45vh,420px);overflow:auto;border:1px solid var(--line);border-radius:6px}
table.failures-list{width:100%;table-layout:fixed;font-size:12.5px}
table.failures-list thead th{position:sticky;top:0;background:var(--soft);z-index:1}
table.failures-list th:nth-child(1){width:130px}
table.failures-list th:nth-child(2){width:24%}
table.failures-list th:nth-child(3){width:150px}
table.failures-list td{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding:3px 7px;vertical-align:middle}
table.failures-list td.where,table.failures-list td.dir,table.failures-list td.expected,table.failures-list td.actual{font-family:var(--mono);font-size:12px}
table.failures-list td.actual{color:var(--bad)}
table.failures-list tbody tr:hover>td{background:var(--soft)}
table.failures-list .chip{font-size:11.5px;line-height:1.35;padding:0 7px;max-width:100%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;vertical-align:middle}
.all-clear{color:var(--good);font-weight:600}

/* disagreements: like the failures list, a column per engine; scrolls sideways rather than squeeze them */
#disagreements .per-engine{display:flex;flex-wrap:wrap;gap:4px 18px;align-items:baseline;margin:0 0 6px}
#disagreements .per-engine .note,#disagreements .set-aside{margin:0 0 6px}
.dis-box{max-height:min(60vh,560px);overflow:auto;border:1px solid var(--line);border-radius:6px;margin-bottom:6px}
table.disagreements{width:100%;table-layout:fixed;font-size:12.5px}
table.disagreements thead th{position:sticky;top:0;background:var(--soft);z-index:1;white-space:normal;overflow-wrap:anywhere;vertical-align:bottom}
table.disagreements th.where{width:190px}
table.disagreements th.kind{width:90px}
table.disagreements th.dir{width:120px}
table.disagreements th.eng{width:120px}
table.disagreements td{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding:3px 7px;vertical-align:middle}
table.disagreements td.where,table.disagreements td.dir,table.disagreements td.expected,table.disagreements td.side{font-family:var(--mono);font-size:12px}
table.disagreements td.kind{font-size:11.5px;color:var(--muted)}
table.disagreements td.k-values{color:var(--bad)}
table.disagreements td.s-passed{color:var(--good)}
table.disagreements td.s-failed{color:var(--bad)}
table.disagreements td.s-unsupported,table.disagreements td.s-blocked,table.disagreements td.s-unreached,table.disagreements td.s-none{color:#57687a}
table.disagreements td.odd{background:#ffebe9;box-shadow:inset 0 0 0 2px #f5a3a8;font-weight:600}
table.disagreements tr[data-disagreement]{cursor:pointer}
table.disagreements tr[data-disagreement]:hover>td:not(.odd){background:var(--soft)}
table.disagreements tr.open>td:not(.odd){background:#ddf4ff}
table.disagreements tr.dis-detail>td{white-space:normal;overflow:visible;background:#fbfcfd;padding:8px 12px 12px 22px;border-bottom:2px solid var(--line)}
.odd-badge{font-size:11.5px;font-weight:600;color:var(--bad)}
.dis-sides{position:sticky;left:12px;max-width:min(1200px,calc(100vw - 110px))}
.dis-sides>pre{margin:0 0 6px;padding:6px 8px;background:var(--soft);border-radius:4px;white-space:pre-wrap;word-break:break-all;max-height:240px;overflow:auto}
.dis-sides>dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 8px}
.dis-sides>dl dt{color:var(--muted);font-size:12.5px}
.dis-sides>dl dd{margin:0;font-family:var(--mono);font-size:12.5px;white-space:pre-wrap;word-break:break-all}

/* feature matrix */
table.features td.cell{text-align:right;font-variant-numeric:tabular-nums;min-width:84px;border:2px solid #fff;border-radius:4px}
table.features td.feature{font-family:var(--mono);font-size:12.5px;max-width:300px;overflow-wrap:anywhere}
table.features tr.tier th{padding-top:12px;color:var(--fg);font-size:12.5px}
table.features th.eng{white-space:normal;vertical-align:bottom}
table.features th.eng .eng-name{max-width:130px;margin-left:auto}
table.features td.none{color:#afb8c1;text-align:center}
table.features td.unclaimed{background:repeating-linear-gradient(135deg,#f6f8fa 0 6px,#eef1f4 6px 12px);color:var(--muted);font-size:12px;text-align:center}

/* history */
.hist{display:flex;flex-wrap:wrap;gap:14px 28px}
.hist figure{margin:0}
.hist figcaption{font-size:12.5px;margin-bottom:2px}
.hist svg{display:block;overflow:visible}
.hist .single-run{max-width:380px}
.hist .single-run p{margin:2px 0 0;font-size:12.5px}
.hist .axis{font-size:10px;fill:var(--muted);font-family:var(--mono)}

/* changes */
.diff{margin-bottom:12px}
.diff .counts{display:flex;flex-wrap:wrap;gap:4px 20px;margin:4px 0}
.diff details{margin:2px 0 2px 2px}
.diff summary{cursor:pointer}
.diff ul{margin:4px 0 8px;padding-left:22px;max-height:320px;overflow:auto;font-family:var(--mono);font-size:12.5px}
.diff li{word-break:break-all}
.n-bad{color:var(--bad);font-weight:600}
.n-good{color:var(--good);font-weight:600}

/* file table */
.toolbar{display:flex;flex-wrap:wrap;gap:8px 18px;align-items:center;margin:4px 0 8px}
.toolbar input[type=search]{font:inherit;padding:4px 8px;border:1px solid var(--line);border-radius:6px;width:320px;max-width:100%}
.toolbar label{display:inline-flex;gap:5px;align-items:center;cursor:pointer}
table.files{width:100%}
table.files thead{position:sticky;top:0;background:#fff;z-index:1}
table.files thead th{background:#fff;box-shadow:inset 0 -1px 0 var(--line)}
table.files th.sort{cursor:pointer;user-select:none}
table.files th.sort:hover{color:var(--fg)}
table.files th.sort::after{content:"\\2195";opacity:.35;margin-left:3px}
table.files th[aria-sort=ascending]::after{content:"\\2191";opacity:1}
table.files th[aria-sort=descending]::after{content:"\\2193";opacity:1}
table.files th.eng{text-align:center;border-left:1px solid var(--line);white-space:normal;overflow-wrap:anywhere}
table.files td.first{border-left:1px solid #eaeef2}
table.files tr.row{cursor:pointer}
table.files tr.row:hover>td{background:var(--soft)}
table.files tr.row.open>td{background:#ddf4ff}
table.files td.file{font-family:var(--mono);font-size:12.5px;word-break:break-all;min-width:200px}
table.files td.file::before{content:"\\25B8";display:inline-block;width:14px;color:var(--muted)}
table.files tr.open td.file::before{content:"\\25BE"}
.minibar{display:inline-flex;width:46px;height:6px;background:#eaeef2;border-radius:3px;margin-left:6px;vertical-align:1px;overflow:hidden}
.minibar>span{display:block;height:100%;flex:0 0 auto;background:var(--oc)}
.minibar>span.o-passed{flex-shrink:1}
.minibar>span:not(.o-passed){min-width:3px}
td.all-unsupported{color:#57687a}
button.fails{font:inherit;font-variant-numeric:tabular-nums;border:0;background:none;color:var(--bad);font-weight:600;cursor:pointer;padding:0;text-decoration:underline dotted}
.status{display:inline-block;font-size:11.5px;font-weight:600;border-radius:10px;padding:0 7px;background:#ffebe9;color:var(--bad)}
.status.missing{background:#eaeef2;color:var(--muted)}
tr.detail>td{background:#fbfcfd;padding:8px 12px 14px 22px;border-bottom:2px solid var(--line)}

/* drill-down */
.eng-head{margin:8px 0 6px;font-weight:600}
.eng-head .muted{font-weight:400}
.failure{border:1px solid var(--line);border-left:4px solid var(--oc,var(--line));border-radius:6px;background:#fff;padding:6px 10px;margin:0 0 8px;max-width:1200px}
.failure .where{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:baseline}
.failure .loc{font-family:var(--mono);font-size:12.5px;font-weight:600;word-break:break-all}
.failure .dir{font-family:var(--mono);font-size:12.5px}
.badge{display:inline-block;font-size:11.5px;font-weight:600;border-radius:10px;padding:0 7px;color:#fff;background:var(--oc,#59636e)}
.badge.o-unsupported,.badge.o-skipped{color:#1f2328}
.failure .detail-text{color:var(--fg);white-space:pre-wrap;word-break:break-word}
.failure pre{margin:6px 0;padding:6px 8px;background:var(--soft);border-radius:4px;white-space:pre-wrap;word-break:break-all;max-height:240px;overflow:auto}
.failure dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}
.failure dt{color:var(--muted);font-size:12.5px}
.failure dd{margin:0;font-family:var(--mono);font-size:12.5px;white-space:pre-wrap;word-break:break-all}
.rerun{display:flex;gap:8px;align-items:center;margin-top:4px}
.rerun code{flex:1;background:#1f2328;color:#f0f3f6;border-radius:4px;padding:4px 8px;white-space:pre-wrap;word-break:break-all;user-select:all}
.rerun button,.more{font:inherit;font-size:12px;border:1px solid var(--line);border-radius:6px;background:#fff;padding:2px 10px;cursor:pointer}
.rerun button:hover,.more:hover{background:var(--soft)}
.note{color:var(--muted);font-size:12.5px;margin:4px 0 8px}
noscript p{color:var(--bad)}
@media (max-width:860px){.bars{grid-template-columns:max-content 1fr}.bars .headline{grid-column:2;margin-top:-6px}.bars .identity{grid-column:2}}
@media (max-width:720px){main{padding:0 10px 32px}.cols{grid-template-columns:1fr}.toolbar input[type=search]{width:100%}}
`;
