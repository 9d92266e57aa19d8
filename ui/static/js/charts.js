// Small SVG bar charts, drawn with DOM calls (no library): each bar has a
// tooltip (<title>), may link somewhere, and the chart carries a text
// summary for screen readers.

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  for (const c of children) if (c) e.append(c);
  return e;
}

function title(text) {
  const t = svg('title');
  t.textContent = text;
  return t;
}

function text(x, y, s, attrs) {
  const t = svg('text', Object.assign({ x, y }, attrs || {}));
  t.textContent = s;
  return t;
}

// barChart draws vertical bars: items [{label, value, href, tip}], with a
// label under every step-th bar.
export function barChart(items, opts = {}) {
  const width = opts.width || 640;
  const height = opts.height || 220;
  const pad = { top: 12, right: 8, bottom: 42, left: 44 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const max = Math.max(1, ...items.map((i) => i.value));
  const bw = w / Math.max(1, items.length);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', role: 'img', 'aria-label': opts.label || 'bar chart' });
  // Axis with three gridlines.
  for (const f of [0, 0.5, 1]) {
    const y = pad.top + h - f * h;
    root.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: 'grid' }));
    root.append(text(pad.left - 6, y + 4, Math.round(f * max).toLocaleString(), { class: 'axis', 'text-anchor': 'end' }));
  }
  const step = Math.max(1, Math.ceil(items.length / (opts.maxLabels || 12)));
  items.forEach((it, i) => {
    const bh = (it.value / max) * h;
    const x = pad.left + i * bw;
    const rect = svg('rect', {
      x: x + Math.min(2, bw * 0.1), y: pad.top + h - bh, width: Math.max(1, bw - Math.min(4, bw * 0.2)), height: Math.max(it.value ? 1 : 0, bh),
      class: 'bar' + (it.className ? ' ' + it.className : ''),
    }, title(it.tip || `${it.label}: ${it.value.toLocaleString()}`));
    if (it.href) {
      const a = svg('a', { href: it.href, class: 'bar-link' }, rect);
      a.setAttribute('aria-label', it.tip || `${it.label}: ${it.value}`);
      root.append(a);
    } else root.append(rect);
    if (i % step === 0) {
      root.append(text(x + bw / 2, pad.top + h + 16, it.label, { class: 'axis', 'text-anchor': 'middle' }));
    }
    if (opts.sub && it.sub && i % step === 0) {
      root.append(text(x + bw / 2, pad.top + h + 30, it.sub, { class: 'axis sub', 'text-anchor': 'middle' }));
    }
  });
  return root;
}

// hBarChart draws horizontal bars: items [{label, value, href, tip}].
export function hBarChart(items, opts = {}) {
  const width = opts.width || 480;
  const row = 24;
  const labelW = opts.labelWidth || 130;
  const height = Math.max(row, items.length * row) + 8;
  const max = Math.max(1, ...items.map((i) => i.value));
  const w = width - labelW - 60;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', role: 'img', 'aria-label': opts.label || 'bar chart' });
  items.forEach((it, i) => {
    const y = 4 + i * row;
    const bw = (it.value / max) * w;
    root.append(text(labelW - 8, y + 16, it.label, { class: 'axis', 'text-anchor': 'end' }));
    const rect = svg('rect', { x: labelW, y: y + 3, width: Math.max(1, bw), height: row - 8, class: 'bar' + (it.className ? ' ' + it.className : '') },
      title(it.tip || `${it.label}: ${it.value.toLocaleString()}`));
    if (it.href) {
      const a = svg('a', { href: it.href, class: 'bar-link' }, rect);
      a.setAttribute('aria-label', it.tip || `${it.label}: ${it.value}`);
      root.append(a);
    } else root.append(rect);
    root.append(text(labelW + bw + 6, y + 16, it.value.toLocaleString(), { class: 'axis value' }));
  });
  return root;
}

// monthSeries turns [{month: "2001-05", messages}] into a continuous run
// of months, leaving out the stray dates at either end (mail dated 1980 or
// 2044 by broken clocks) that hold less than 1% of the messages together;
// it returns the items and how many messages fell outside.
export function monthSeries(months) {
  const sorted = months.filter((m) => /^\d{4}-\d{2}$/.test(m.month)).sort((a, b) => a.month.localeCompare(b.month));
  const total = sorted.reduce((s, m) => s + m.messages, 0);
  let lo = 0;
  let hi = sorted.length - 1;
  let cut = 0;
  const budget = total * 0.01;
  while (lo < hi && cut + Math.min(sorted[lo].messages, sorted[hi].messages) <= budget) {
    if (sorted[lo].messages <= sorted[hi].messages) cut += sorted[lo++].messages;
    else cut += sorted[hi--].messages;
  }
  if (!sorted.length) return { items: [], outside: 0 };
  const counts = new Map(sorted.slice(lo, hi + 1).map((m) => [m.month, m.messages]));
  const items = [];
  let [y, mo] = sorted[lo].month.split('-').map(Number);
  const [ey, em] = sorted[hi].month.split('-').map(Number);
  while (y < ey || (y === ey && mo <= em)) {
    const key = `${y}-${String(mo).padStart(2, '0')}`;
    items.push({ month: key, value: counts.get(key) || 0 });
    mo++;
    if (mo > 12) { mo = 1; y++; }
  }
  return { items, outside: cut };
}
