import type { SummaryRow, TimePoint } from './summary.js';

/**
 * bench/results/report.html: one self-contained page (inline SVG drawn here, no script, no CDN) —
 * latency percentiles per scenario, CPU per request of the BFF against its peer, push throughput
 * over time when the push benchmark gave a time series, and the table with met / not met.
 */
const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948'];

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

/** Horizontal grouped bars: one group per label, one bar per series. */
export function barChart(
  title: string,
  unit: string,
  labels: string[],
  series: { name: string; values: (number | undefined)[] }[],
): string {
  const rowH = 14 * series.length + 10;
  const left = 230;
  const width = 760;
  const plotW = width - left - 70;
  const top = 40;
  const height = top + rowH * labels.length + 30;
  const max = niceMax(
    Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== undefined))),
  );
  const x = (v: number): number => left + (v / max) * plotW;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">`,
    `<text x="10" y="18" font-weight="bold">${esc(title)}</text>`,
  ];
  series.forEach((s, i) =>
    parts.push(
      `<rect x="${left + i * 110}" y="26" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${left + i * 110 + 14}" y="35" font-size="11">${esc(s.name)}</text>`,
    ),
  );
  for (let g = 0; g <= 4; g += 1) {
    const v = (max * g) / 4;
    parts.push(
      `<line x1="${x(v)}" x2="${x(v)}" y1="${top}" y2="${height - 25}" stroke="#ddd"/><text x="${x(v)}" y="${height - 10}" font-size="10" text-anchor="middle">${esc(+v.toPrecision(3))} ${esc(unit)}</text>`,
    );
  }
  labels.forEach((label, li) => {
    const y0 = top + li * rowH + 5;
    parts.push(
      `<text x="${left - 6}" y="${y0 + (rowH - 10) / 2 + 4}" font-size="11" text-anchor="end">${esc(label)}</text>`,
    );
    series.forEach((s, si) => {
      const v = s.values[li];
      if (v === undefined) return;
      parts.push(
        `<rect x="${left}" y="${y0 + si * 14}" width="${Math.max(1, x(v) - left)}" height="12" fill="${COLORS[si % COLORS.length]}"><title>${esc(`${label} ${s.name}: ${v} ${unit}`)}</title></rect>`,
        `<text x="${x(v) + 4}" y="${y0 + si * 14 + 10}" font-size="10">${esc(v)}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

export function lineChart(title: string, points: TimePoint[]): string {
  const width = 760;
  const height = 300;
  const left = 70;
  const bottom = 40;
  const top = 30;
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const t0 = sorted[0].t;
  const tMax = niceMax(sorted[sorted.length - 1].t - t0);
  const sMax = niceMax(Math.max(...sorted.map((p) => p.sent)));
  const x = (t: number): number => left + ((t - t0) / tMax) * (width - left - 20);
  const y = (s: number): number => height - bottom - (s / sMax) * (height - bottom - top);
  const path = sorted.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.sent).toFixed(1)}`).join(' ');
  const last = sorted[sorted.length - 1];
  const rate = last.t > t0 ? Math.round((last.sent - sorted[0].sent) / (last.t - t0)) : 0;
  const grid: string[] = [];
  for (let g = 0; g <= 4; g += 1) {
    grid.push(
      `<line x1="${left}" x2="${width - 20}" y1="${y((sMax * g) / 4)}" y2="${y((sMax * g) / 4)}" stroke="#ddd"/><text x="${left - 6}" y="${y((sMax * g) / 4) + 4}" font-size="10" text-anchor="end">${esc(Math.round((sMax * g) / 4))}</text>`,
      `<text x="${x(t0 + (tMax * g) / 4)}" y="${height - bottom + 16}" font-size="10" text-anchor="middle">${esc(+((tMax * g) / 4).toPrecision(3))} s</text>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">`,
    `<text x="10" y="18" font-weight="bold">${esc(title)} — mean ${rate} msg/s</text>`,
    ...grid,
    `<path d="${path}" fill="none" stroke="${COLORS[0]}" stroke-width="2"/>`,
    `<text x="${width / 2}" y="${height - 6}" font-size="11" text-anchor="middle">time since start (s); sent messages (cumulative)</text>`,
    '</svg>',
  ].join('');
}

const fmt = (v: number | undefined): string => (v === undefined ? '' : String(v));

export function renderReport(input: {
  at: string;
  quick: boolean;
  rows: SummaryRow[];
  pushSeries?: TimePoint[];
  machine: string;
}): string {
  const withLatency = input.rows.filter(
    (r) => r.latencyMs?.p99 !== undefined && r.benchmark !== 'cold-start',
  );
  const latency = barChart(
    'Latency percentiles per scenario',
    'ms',
    withLatency.map((r) => `${r.benchmark}: ${r.scenario}`),
    (['p50', 'p90', 'p99'] as const).map((p) => ({
      name: p,
      values: withLatency.map((r) => r.latencyMs?.[p]),
    })),
  );
  // CPU per request: the BFF against its peer (bare proxy / simulator alone), pairs from the table
  const cpuLabels: string[] = [];
  const bffCpu: (number | undefined)[] = [];
  const peerCpu: (number | undefined)[] = [];
  for (const r of input.rows) {
    if (!r.cpuMsPerRequest?.bff) continue;
    cpuLabels.push(`${r.benchmark}: ${r.scenario}`);
    bffCpu.push(r.cpuMsPerRequest.bff);
    const peerRow = input.rows.find(
      (p) =>
        p.note === 'peer' &&
        p.benchmark === r.benchmark &&
        p.scenario.startsWith(r.scenario.replace(/ \(BFF\)$/, '')),
    );
    peerCpu.push(
      peerRow?.cpuMsPerRequest?.proxy ?? peerRow?.cpuMsPerRequest?.oidcSim ?? r.cpuMsPerRequest.proxy,
    );
  }
  const cpu = cpuLabels.length
    ? barChart('CPU per request: BFF process vs its peer (proxy / simulator alone)', 'ms', cpuLabels, [
        { name: 'BFF', values: bffCpu },
        { name: 'peer', values: peerCpu },
      ])
    : '<p>No CPU figures.</p>';
  const push = input.pushSeries?.length
    ? lineChart('Push throughput over time', input.pushSeries)
    : '<p>No push time series (bench/results/push.json has none).</p>';
  const tableRows = input.rows
    .map((r) => {
      const mark = r.met === null ? '' : r.met ? '<b class="met">met</b>' : '<b class="miss">not met</b>';
      const cpuText = r.cpuMsPerRequest
        ? Object.entries(r.cpuMsPerRequest)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')
        : '';
      const checks = r.checks
        .map((c) => `<span class="${c.met ? 'met' : 'miss'}">${esc(c.target)}: ${esc(c.actual)}</span>`)
        .join('<br>');
      return `<tr><td>${esc(r.benchmark)}</td><td>${esc(r.scenario)}${r.note ? ` <small>(${esc(r.note)})</small>` : ''}</td><td>${esc(r.status)}</td><td>${r.throughput === undefined ? '' : `${esc(r.throughput)} ${esc(r.throughputUnit ?? '')}`}</td><td>${fmt(r.latencyMs?.p50)}</td><td>${fmt(r.latencyMs?.p90)}</td><td>${fmt(r.latencyMs?.p99)}</td><td>${fmt(r.latencyMs?.max)}</td><td>${fmt(r.errors)}</td><td>${esc(cpuText)}</td><td>${fmt(r.peakRssMiB)}</td><td>${r.ratioToPeer === undefined ? '' : `${Math.round(r.ratioToPeer * 100)} % of ${esc(r.peer ?? 'peer')}`}</td><td>${checks}</td><td>${mark}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>myna-bff benchmarks ${esc(input.at)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top}th{background:#f4f4f4}.met{color:#2a7d2a}.miss{color:#c0392b}svg{font-family:system-ui,sans-serif;display:block;margin:1em 0}</style>
</head><body>
<h1>myna-bff benchmarks</h1>
<p>${esc(input.at)}${input.quick ? ' — <b>quick run</b> (short durations: figures are indicative only)' : ''}; ${esc(input.machine)}. Targets: TARGETS.md (bench/lib/targets.ts).</p>
${latency}
${cpu}
${push}
<h2>All rows</h2>
<table><thead><tr><th>bench</th><th>scenario</th><th>status</th><th>throughput</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>max ms</th><th>errors</th><th>CPU ms per request</th><th>peak RSS MiB</th><th>ratio to peer</th><th>targets</th><th></th></tr></thead>
<tbody>
${tableRows}
</tbody></table>
</body></html>
`;
}
