// Runs in Chromium: draws one panel's view (built in Node with Grafana's formatters, see
// ../panel-view.ts) the way Grafana's panel draws it — uPlot for time series, as Grafana's
// TimeSeries panel does — and reports what it drew, for the test's assertions.
/* global uPlot */
(function () {
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'style') Object.assign(e.style, v);
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c);
    return e;
  };

  function timeSeries(view, body, report) {
    const legendHeight = Math.min(22 * (view.legend.length + 1) + 6, Math.floor(view.height * 0.45));
    const plotHeight = view.height - 32 - legendHeight;
    const plot = el('div', { class: 'plot' });
    body.append(plot);
    const data = [view.xs, ...view.series.map((s) => s.ys)];
    const hex = (c, a) =>
      c +
      Math.round(a * 255)
        .toString(16)
        .padStart(2, '0');
    const u = new uPlot(
      {
        width: view.width - 8,
        height: plotHeight,
        legend: { show: false },
        cursor: { show: false },
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
        scales: { y: { range: [view.yMin, view.yMax] } },
        axes: [
          { stroke: '#ccccdc', grid: { stroke: 'rgba(204,204,220,0.07)' }, ticks: { stroke: 'rgba(204,204,220,0.07)' } },
          {
            stroke: '#ccccdc',
            size: view.axisWidth,
            grid: { stroke: 'rgba(204,204,220,0.07)' },
            ticks: { stroke: 'rgba(204,204,220,0.07)' },
            splits: () => view.ticks.map((t) => t.value),
            values: () => view.ticks.map((t) => t.label),
          },
        ],
        series: [
          {},
          ...view.series.map((s) => ({
            label: s.name,
            stroke: s.color,
            width: 1,
            fill: view.fillOpacity > 0 ? hex(s.color, view.fillOpacity) : undefined,
            points: { show: view.xs.length < 3 },
            spanGaps: false,
          })),
        ],
      },
      data,
      plot,
    );
    report.series = u.series.length - 1;
    report.axisLabels = view.ticks.map((t) => t.label);
    const table = el('table', { class: 'legend', style: { maxHeight: legendHeight + 'px' } });
    table.append(el('tr', {}, el('th', {}, ''), el('th', {}, 'Last *'), el('th', {}, 'Max')));
    for (const l of view.legend) {
      table.append(
        el(
          'tr',
          { 'data-series': l.name },
          el('td', {}, el('span', { class: 'swatch', style: { background: l.color } }), l.name),
          el('td', { 'data-value': '' }, l.last),
          el('td', { 'data-value': '' }, l.max),
        ),
      );
    }
    const wrap = el('div', { class: 'legend-wrap', style: { height: legendHeight + 'px' } }, table);
    body.append(wrap);
  }

  function values(view, body, report) {
    const box = el('div', { class: view.kind === 'stat' ? 'stats' : 'bars' });
    for (const it of view.items) {
      if (view.kind === 'stat') {
        box.append(
          el(
            'div',
            { class: 'stat', 'data-value': it.text, style: { background: it.color } },
            it.name && view.items.length > 1 ? el('div', { class: 'stat-name' }, it.name) : '',
            el('div', { class: 'stat-value' }, it.text),
          ),
        );
      } else {
        box.append(
          el(
            'div',
            { class: 'bar' },
            el('div', { class: 'bar-name' }, it.name),
            el(
              'div',
              { class: 'bar-track' },
              el('div', { class: 'bar-fill', style: { width: (it.fraction * 100).toFixed(1) + '%', background: it.color } }),
            ),
            el('div', { class: 'bar-value', 'data-value': it.text, style: { color: it.color } }, it.text),
          ),
        );
      }
    }
    body.append(box);
    report.series = view.items.length;
  }

  function table(view, body, report) {
    const t = el('table', { class: 'grid-table' });
    t.append(el('tr', {}, ...view.columns.map((c) => el('th', {}, c))));
    for (const r of view.rows) {
      t.append(
        el(
          'tr',
          {},
          ...r.map((c, i) =>
            el(
              'td',
              c.value
                ? { 'data-value': c.text, 'data-col': view.columns[i], style: c.color ? { background: c.color, color: '#fff' } : {} }
                : {},
              c.text,
            ),
          ),
        ),
      );
    }
    body.append(t);
    report.series = view.rows.length;
    report.cells = [...t.querySelectorAll('td[data-col]')].map((td) => ({ column: td.getAttribute('data-col'), text: td.textContent }));
    report.valueCells = report.cells.length;
  }

  function grid(view, body, report) {
    const g = el('div', { class: 'cells' });
    const total = Math.max(1, view.xs.length);
    for (const r of view.rows) {
      const row = el('div', { class: 'cell-row', 'data-series': r.name }, el('div', { class: 'cell-name' }, r.name));
      const track = el('div', { class: 'cell-track' });
      for (const c of r.cells) {
        track.append(
          el(
            'div',
            { class: 'cell', style: { flex: String(c.span / total), background: c.color } },
            view.panelType === 'state-timeline' ? c.text : '',
          ),
        );
      }
      row.append(track);
      g.append(row);
    }
    const first = view.xs[0];
    const last = view.xs[view.xs.length - 1];
    const fmt = (t) => new Date(t * 1000).toISOString().slice(11, 19);
    if (view.xs.length) g.append(el('div', { class: 'cell-axis' }, el('span', {}, fmt(first)), el('span', {}, fmt(last) + ' UTC')));
    body.append(g);
    report.series = view.rows.length;
  }

  window.renderPanel = function (view) {
    const panel = el('div', { id: 'panel', style: { width: view.width + 'px', height: view.height + 'px' } });
    panel.append(el('div', { class: 'title' }, view.title));
    const body = el('div', { class: 'body', style: { height: view.height - 32 + 'px' } });
    panel.append(body);
    document.body.append(panel);
    const report = { series: 0, valueCells: 0, axisLabels: [], cells: [], noData: false };
    if (view.noData !== undefined) {
      body.append(el('div', { class: 'no-data', 'data-value': view.noData }, view.noData));
      report.noData = true;
    } else if (view.kind === 'timeseries') timeSeries(view, body, report);
    else if (view.kind === 'stat' || view.kind === 'bargauge') values(view, body, report);
    else if (view.kind === 'table') table(view, body, report);
    else grid(view, body, report);
    report.text = panel.innerText;
    report.statColors = [...panel.querySelectorAll('.stat')].map((e) => getComputedStyle(e).backgroundColor);
    report.values = [...panel.querySelectorAll('[data-value]')].map((e) => e.getAttribute('data-value') || e.textContent);
    return report;
  };

  // Pixel statistics of a PNG (the screenshot itself), so a blank picture fails the test.
  window.pixelStats = async function (dataUrl) {
    const img = new Image();
    img.src = dataUrl;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    let sum = 0;
    let sq = 0;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4) {
      const y = 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
      n++;
      sum += y;
      sq += y * y;
      if (colours.size < 5000) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    }
    const mean = sum / n;
    return { width: c.width, height: c.height, variance: sq / n - mean * mean, colours: colours.size };
  };
})();
