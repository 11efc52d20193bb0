/**
 * profile/index.html: one self-contained page (no network; data and script inline) with, for a
 * profile run: the category shares per thread for every target side by side, the check against
 * /proc, and per thread a flame graph (drawn on a canvas from the merged call tree: click a
 * frame to zoom into it, click the bottom bar to zoom out, hover for its times), the top
 * functions by self time, and the event-loop/GC figures.
 *
 * The flame graph: the root at the bottom, callers below callees, each frame as wide as its
 * total time, coloured by its category (the legend). Frames under 0.1% of the thread's CPU are
 * left out of the page to keep it small (their time stays in their parent's width).
 */

import { CATEGORIES, CATEGORY_LABELS, type Category } from './categories.ts';
import type { TreeNode } from './cpuprofile.ts';
import type { ProfileSummary } from './summary.ts';

export const CATEGORY_COLOURS: Record<Category, string> = {
  parsing: '#4e79a7',
  ring: '#f28e2b',
  execution: '#59a14f',
  reply: '#76b7b2',
  socket: '#e15759',
  frontend: '#edc948',
  gc: '#b07aa1',
  runtime: '#9c755f',
  startup: '#bab0ac',
  other: '#555555',
  idle: '#dddddd',
};

/** [name, where, category index, total µs, self µs, children] */
type Packed = [string, string, number, number, number, Packed[]];

function pack(n: TreeNode, minUs: number): Packed {
  const kids = [...n.children.values()].filter((c) => c.total >= minUs).sort((a, b) => b.total - a.total);
  return [n.name, n.url === '' ? '' : `${n.url}:${n.line}`, CATEGORIES.indexOf(n.cat), Math.round(n.total), Math.round(n.self), kids.map((c) => pack(c, minUs))];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}
th{background:#f4f4f4}td.l,th.l{text-align:left}.sw{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:middle}
canvas{width:100%;border:1px solid #ddd;cursor:pointer}.tip{position:fixed;background:#fff;border:1px solid #888;padding:4px 6px;font:12px monospace;pointer-events:none;display:none;max-width:60em}
.ok{color:#1a7f37}.bad{color:#c62828}details{margin:.5em 0}code{font-size:90%}`;

/** The flame-graph script: draws every canvas[data-flame] from window.FLAMES[id]. */
const SCRIPT = `(function(){
var C=window.CATS,COL=window.COLS,tip=document.getElementById('tip');
function draw(cv){var data=window.FLAMES[cv.dataset.flame];var H=16;
 function depth(n){var d=0;for(var i=0;i<n[5].length;i++)d=Math.max(d,depth(n[5][i]));return d+1}
 var zoom=data,dpr=window.devicePixelRatio||1,rects=[];
 function render(){var W=cv.clientWidth,D=depth(zoom);cv.height=(D+1)*H*dpr;cv.style.height=((D+1)*H)+'px';cv.width=W*dpr;
  var g=cv.getContext('2d');g.scale(dpr,dpr);g.font='11px sans-serif';g.textBaseline='middle';rects=[];
  var total=zoom[3]||1,Ht=(D+1)*H;
  function node(n,x,y,w){if(w<0.5)return;g.fillStyle=n===zoom&&zoom!==data?'#999':COL[C[n[2]]]||'#888';g.fillRect(x,y,w-0.5,H-1);
   rects.push([x,y,w,n]);if(w>30){g.fillStyle='#000';g.save();g.beginPath();g.rect(x,y,w-2,H);g.clip();g.fillText(n[0],x+3,y+H/2);g.restore()}
   var cx=x;for(var i=0;i<n[5].length;i++){var c=n[5][i],cw=w*c[3]/(n[3]||1);node(c,cx,y-H,cw);cx+=cw}}
  node(zoom,0,Ht-H,W)}
 function hit(e){var r=cv.getBoundingClientRect(),x=e.clientX-r.left,y=e.clientY-r.top;
  for(var i=rects.length-1;i>=0;i--){var q=rects[i];if(x>=q[0]&&x<q[0]+q[2]&&y>=q[1]&&y<q[1]+H)return q[3]}return null}
 cv.addEventListener('click',function(e){var n=hit(e);if(!n)return;zoom=(n===zoom)?data:n;render()});
 cv.addEventListener('mousemove',function(e){var n=hit(e);if(!n){tip.style.display='none';return}
  tip.style.display='block';tip.style.left=(e.clientX+12)+'px';tip.style.top=(e.clientY+12)+'px';
  tip.textContent=n[0]+(n[1]?'  '+n[1]:'')+'\\n'+C[n[2]]+' · total '+(n[3]/1000).toFixed(1)+' ms ('+(100*n[3]/(data[3]||1)).toFixed(1)+'% of the thread) · self '+(n[4]/1000).toFixed(1)+' ms';
  tip.style.whiteSpace='pre'});
 cv.addEventListener('mouseleave',function(){tip.style.display='none'});
 window.addEventListener('resize',render);render()}
var cs=document.querySelectorAll('canvas[data-flame]');for(var i=0;i<cs.length;i++)draw(cs[i]);
})();`;

export function renderProfileHtml(s: ProfileSummary, trees: Map<string, TreeNode>): string {
  const flames: Record<string, Packed> = {};
  const parts: string[] = [];
  parts.push(`<h1>ringkv profile — ${esc(s.workload)}, run ${esc(s.runId)}</h1>`);
  parts.push(`<p>${esc(s.envLine)}</p>`);
  for (const n of s.notes) parts.push(`<p><b>Note:</b> ${esc(n)}</p>`);
  parts.push(`<p>Load: ${esc(Object.entries(s.params).map(([k, v]) => `${k} ${v}`).join(', '))}. Each target ran once, profiled, for the same window; CPU is that window's.</p>`);
  // Legend.
  parts.push(`<p>${CATEGORIES.filter((c) => c !== 'idle').map((c) => `<span class="sw" style="background:${CATEGORY_COLOURS[c]}"></span>${esc(CATEGORY_LABELS[c])}`).join(' &nbsp; ')}</p>`);
  // Side-by-side category shares.
  parts.push('<h2>Where each thread’s CPU went (share of the thread’s profiled CPU)</h2>');
  const cols = s.targets.flatMap((t) => t.threads.map((th) => ({ t, th })));
  parts.push('<table><tr><th class="l">category</th>' + cols.map(({ t, th }) => `<th>${esc(t.id)}<br>${esc(th.name)}</th>`).join('') + '</tr>');
  for (const c of CATEGORIES) {
    if (c === 'idle') continue;
    parts.push(`<tr><td class="l"><span class="sw" style="background:${CATEGORY_COLOURS[c]}"></span>${esc(c)}</td>` +
      cols.map(({ th }) => `<td>${th.busyMs > 0 ? pct((th.byCategory[c] ?? 0) / th.busyMs) : '–'}</td>`).join('') + '</tr>');
  }
  parts.push('<tr><th class="l">profiled CPU, ms</th>' + cols.map(({ th }) => `<th>${th.busyMs.toFixed(0)}</th>`).join('') + '</tr>');
  parts.push('<tr><th class="l">/proc CPU, ms</th>' + cols.map(({ th }) => `<th>${th.procCpuMs === null ? '–' : th.procCpuMs.toFixed(0)}</th>`).join('') + '</tr>');
  parts.push('<tr><th class="l">named categories</th>' + cols.map(({ th }) => `<th class="${th.namedShare >= 0.9 ? 'ok' : 'bad'}">${pct(th.namedShare)}</th>`).join('') + '</tr>');
  parts.push('<tr><th class="l">event-loop utilisation</th>' + cols.map(({ th }) => `<td>${th.samples === null ? '–' : pct(th.samples.elu)}</td>`).join('') + '</tr>');
  parts.push('<tr><th class="l">event-loop delay p99 (worst interval), ms</th>' + cols.map(({ th }) => `<td>${th.samples === null ? '–' : th.samples.delayP99Ms.toFixed(2)}</td>`).join('') + '</tr>');
  parts.push('<tr><th class="l">GC pauses (count, total ms, max ms)</th>' + cols.map(({ th }) => `<td>${th.samples === null ? '–' : `${th.samples.gcCount}, ${th.samples.gcMs.toFixed(1)}, ${th.samples.gcMaxMs.toFixed(1)}`}</td>`).join('') + '</tr>');
  parts.push('</table>');
  parts.push('<h2>Check against the harness’s /proc CPU</h2>');
  parts.push(`<pre>${esc(s.checkText)}</pre>`);
  parts.push('<h2>Targets</h2><table><tr><th class="l">target</th><th>throughput, req/s</th><th>p50 µs</th><th>p99 µs</th><th>server CPU (/proc, all threads), ms</th><th>threads not profiled (V8 helpers, libuv pool, profiler), ms</th></tr>');
  for (const t of s.targets) {
    parts.push(`<tr><td class="l">${esc(t.label)}</td><td>${t.throughput.toFixed(0)}</td><td>${t.latencyUs.p50.toFixed(0)}</td><td>${t.latencyUs.p99.toFixed(0)}</td><td>${t.procTotalMs.toFixed(0)}</td><td>${t.procUnprofiledMs.toFixed(0)}</td></tr>`);
  }
  parts.push('</table>');
  for (const t of s.targets) {
    for (const th of t.threads) {
      const key = `${t.id}/${th.name}`;
      const tree = trees.get(key);
      parts.push(`<h2 id="${esc(key)}">${esc(t.label)} — ${esc(th.name)}</h2>`);
      parts.push(`<p>Profile <code>${esc(th.file)}</code> (open it in Chrome DevTools’ Performance panel or speedscope for more). ${th.busyMs.toFixed(0)} ms of CPU in the window, ${th.idleMs.toFixed(0)} ms idle.</p>`);
      if (tree !== undefined && tree.total > 0) {
        flames[key] = pack(tree, tree.total * 0.001);
        parts.push(`<canvas data-flame="${esc(key)}"></canvas>`);
      }
      parts.push('<details open><summary>Top functions by self time</summary><table><tr><th>self ms</th><th>share</th><th class="l">category</th><th class="l">function</th><th class="l">where</th></tr>');
      for (const f of th.top) {
        parts.push(`<tr><td>${(f.selfUs / 1000).toFixed(1)}</td><td>${pct(f.selfUs / 1000 / (th.busyMs || 1))}</td><td class="l">${esc(f.cat)}</td><td class="l">${esc(f.name)}</td><td class="l">${esc(f.url === '' ? '(native)' : `${f.url}:${f.line}`)}</td></tr>`);
      }
      parts.push('</table></details>');
    }
  }
  if (s.clinic.length > 0) {
    parts.push('<h2>clinic</h2><ul>');
    for (const c of s.clinic) parts.push(`<li>${esc(c.tool)}: ${c.ok ? `<a href="${esc(c.html ?? '')}">${esc(c.html ?? '')}</a>` : esc(c.message)}</li>`);
    parts.push('</ul>');
  }
  const data = `window.CATS=${JSON.stringify(CATEGORIES)};window.COLS=${JSON.stringify(CATEGORY_COLOURS)};window.FLAMES=${JSON.stringify(flames).replace(/</g, '\\u003c')};`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ringkv profile ${esc(s.runId)}</title><style>${CSS}</style></head>\n<body>\n${parts.join('\n')}\n<div class="tip" id="tip"></div>\n<script>${data}\n${SCRIPT}</script>\n</body></html>\n`;
}
