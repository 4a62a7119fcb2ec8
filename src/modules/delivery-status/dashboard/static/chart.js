// Line charts as inline SVG built in the DOM (no library, nothing inline for the CSP to refuse).
const NS = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 240;
const PAD = { top: 16, right: 16, bottom: 32, left: 56 };

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Series are told apart by line style and marker shape as well as colour (never colour alone). */
export function lineChart({ label, labels, series }) {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, class: 'line-chart' });
  svg.append(el('title', {}, label));
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i) =>
    PAD.left + (labels.length <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (labels.length - 1));
  const y = (v) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  for (let k = 0; k <= 4; k++) {
    const v = Math.round((max * k) / 4);
    svg.append(el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(el('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, String(v)));
  }
  const step = Math.max(1, Math.ceil(labels.length / 8));
  labels.forEach((l, i) => {
    if (i % step === 0)
      svg.append(el('text', { x: x(i), y: H - 10, 'text-anchor': 'middle', class: 'axis' }, l));
  });
  series.forEach((s, index) => {
    const points = s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ');
    svg.append(el('polyline', { points, class: `series series-${index} ${s.style}` }));
    s.values.forEach((v, i) => {
      const marker =
        index === 0
          ? el('circle', { cx: x(i), cy: y(v), r: 4, class: `marker series-${index}` })
          : el('rect', { x: x(i) - 4, y: y(v) - 4, width: 8, height: 8, class: `marker series-${index}` });
      svg.append(marker);
    });
  });
  const legend = el('g', { class: 'legend' });
  series.forEach((s, index) => {
    const lx = PAD.left + index * 120;
    legend.append(
      el('line', { x1: lx, x2: lx + 24, y1: 8, y2: 8, class: `series series-${index} ${s.style}` }),
    );
    legend.append(el('text', { x: lx + 30, y: 12, class: 'axis' }, s.name));
  });
  svg.append(legend);
  return svg;
}
