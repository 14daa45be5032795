/* Footfall dashboard: plain JavaScript, no framework, no build step.
 *
 * Everything on screen comes from the JSON API (/api/v1/...), the same
 * numbers as `footfall report`.  The whole view (site, period, comparison,
 * filters, bots, interval, chart metric) lives in the URL query string, so a
 * view can be bookmarked, shared and reloaded.  The Content-Security-Policy
 * forbids inline scripts and style attributes: geometry is set through the
 * CSSOM (element.style.x = ...) and SVG attributes, never through markup.
 */
"use strict";

(() => {
  // ---------------------------------------------------------------- constants

  // What to show comes from /api/v1/meta (reports/catalog.py, vocabulary/): the headline
  // and chart metrics and the panels (`dashboard`), which way is good news (`metrics[].better`),
  // periods, comparisons, each report's fixed filters and columns, number formats, filters.
  const SVG = "http://www.w3.org/2000/svg";
  const PANEL_LIMIT = 10;
  const MORE_LIMIT = 100;

  const CSRF = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // -------------------------------------------------------------------- state

  const state = {
    site: "", period: "", from: "", to: "", compare: "", filters: [], bots: false,
    interval: "", metric: "visitors",
  };
  // From /api/v1/meta: `formats` (vocabulary/formatting.py) and `filters` (the grammar of
  // vocabulary/query.py) are applied as they come, so numbers and filters read as in Python.
  const meta = { metrics: {}, dimensions: {}, reports: {}, actions: new Set(), formats: null,
    filters: null, dashboard: { headline: [], series: [], panels: [] }, periods: [],
    comparisons: [] };
  let sites = [];
  let resolved = null; // {from, to} of the loaded view
  let generation = 0; // increases with every reload: late answers of older ones are dropped
  let chartData = null;
  const panelState = {}; // id -> {tab, limit}

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    return node;
  }

  // ---------------------------------------------------------------------- URL

  function readUrl() {
    const q = new URLSearchParams(location.search);
    state.site = q.get("site") || "";
    state.from = q.get("from") || "";
    state.to = q.get("to") || "";
    state.period = state.from || state.to ? "" : q.get("period") || "";
    state.compare = meta.comparisons.some((c) => c.name === q.get("compare")) ? q.get("compare") : "";
    state.filters = q.getAll("filter").filter((f) => parseFilter(f) !== null);
    state.bots = ["1", "true"].includes(q.get("bots"));
    state.interval = ["hour", "day", "week", "month"].includes(q.get("interval"))
      ? q.get("interval") : "";
    const metric = q.get("metric");
    state.metric = metric && [...$("chart-metric").options].some((o) => o.value === metric)
      ? metric : "visitors";
  }

  function urlParams() {
    const q = new URLSearchParams();
    if (state.site) q.set("site", state.site);
    if (state.period) q.set("period", state.period);
    if (state.from) q.set("from", state.from);
    if (state.to) q.set("to", state.to);
    if (state.compare) q.set("compare", state.compare);
    for (const f of state.filters) q.append("filter", f);
    if (state.bots) q.set("bots", "1");
    if (state.interval) q.set("interval", state.interval);
    if (state.metric !== "visitors") q.set("metric", state.metric);
    return q;
  }

  function writeUrl(push) {
    const url = `${location.pathname}?${urlParams().toString()}`;
    if (url === `${location.pathname}${location.search}`) return;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  // The API parameters of the current view (without interval, limit).
  function apiParams(extra) {
    const q = new URLSearchParams();
    q.set("site", state.site);
    if (state.from || state.to) {
      if (state.from) q.set("from", state.from);
      if (state.to) q.set("to", state.to);
    } else {
      q.set("period", state.period || "30d");
    }
    for (const f of state.filters) q.append("filter", f);
    if (state.bots) q.set("include_bots", "1");
    for (const [key, value] of Object.entries(extra || {})) {
      if (value !== null && value !== undefined && value !== "") q.set(key, value);
    }
    return q;
  }

  // ---------------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  async function request(path, options) {
    let res;
    try {
      res = await fetch(path, { credentials: "same-origin", ...options });
    } catch (err) {
      throw new ApiError("The server cannot be reached. Is `footfall serve` running?", 0);
    }
    if (res.status === 401) {
      location.assign("/login");
      throw new ApiError("Your session has ended: log in again.", 401);
    }
    if (!res.ok) {
      let message = `The server answered ${res.status} ${res.statusText}`;
      try {
        const body = await res.json();
        if (body && body.error) message = body.error;
      } catch (err) {
        /* not JSON: keep the status line */
      }
      throw new ApiError(message, res.status);
    }
    return res;
  }

  async function getJson(path) {
    return (await request(path)).json();
  }

  function report(name, extra) {
    return getJson(`/api/v1/report/${encodeURIComponent(name)}?${apiParams(extra)}`);
  }

  // ------------------------------------------------------------------ filters

  // A filter text (`event:page=/~alice/`) as vocabulary/query.py parse_filter_text reads
  // it, by the grammar of /api/v1/meta: null when it is not one.
  function parseFilterWith(grammar, dimensions, text) {
    const match = new RegExp(grammar.pattern).exec(text);
    if (!match) return null;
    let dimension = match[grammar.groups.dimension];
    if (grammar.trim_dimension) dimension = dimension.trim();
    dimension = resolveDimension(dimensions, dimension);
    const operator = grammar.operators.find((o) => o.token === match[grammar.groups.token]);
    if (!dimension || !operator) return null;
    return { dimension, op: operator.op, words: operator.words, value: match[grammar.groups.value] };
  }

  // A full name, or the one full name whose part after ":" is `name` (as resolve_dimension).
  function resolveDimension(dimensions, name) {
    if (Object.hasOwn(dimensions, name)) return name;
    const found = Object.keys(dimensions).filter((d) => d.slice(d.indexOf(":") + 1) === name);
    return found.length === 1 ? found[0] : null;
  }

  function parseFilter(text) {
    return parseFilterWith(meta.filters, meta.dimensions, text);
  }

  function dimensionLabel(name) {
    const d = meta.dimensions[name];
    return d ? d.label : name.replace(/^[a-z]+:/, "").replace(/_/g, " ");
  }

  function addFilter(dimension, value) {
    const text = `${dimension}=${value}`;
    state.filters = state.filters.filter((f) => {
      const parsed = parseFilter(f);
      return !(parsed && parsed.dimension === dimension && parsed.op === "is");
    });
    state.filters.push(text);
    if (dimension.startsWith("event:bot_")) state.bots = true; // bot rows show nothing without bots
    changed();
  }

  function renderFilters() {
    const chips = $("chips");
    chips.replaceChildren();
    for (const text of state.filters) {
      const f = parseFilter(text);
      const label = `${dimensionLabel(f.dimension)} ${f.words} ${f.value}`;
      chips.append(el("li", { class: "chip", "data-filter": text },
        el("span", { class: "chip-text", title: label },
          el("span", { class: "chip-dim", text: `${dimensionLabel(f.dimension)} ${f.words} ` }),
          el("strong", { text: displayValue(f.dimension, f.value) })),
        el("button", {
          type: "button", class: "chip-remove", "aria-label": `Remove filter: ${label}`,
          title: "Remove this filter",
          onclick: () => {
            state.filters = state.filters.filter((x) => x !== text);
            changed();
          },
        }, "×")));
    }
    $("filters").hidden = state.filters.length === 0;
  }

  // --------------------------------------------------------------- formatting

  let regionNames = null;
  try {
    regionNames = new Intl.DisplayNames(["en"], { type: "region" });
  } catch (err) {
    regionNames = null;
  }

  // Digits after the point, rounded half away from zero (as Python's formatting.py
  // rounds), with the separators of the rules; `trim` drops trailing zeros.
  function fixed(rules, number, decimals, trim) {
    let text = Math.abs(number).toFixed(decimals);
    if (trim && text.includes(".")) text = text.replace(/\.?0+$/, "");
    const [whole, part] = text.split(".");
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, rules.thousands);
    const out = part === undefined ? grouped : `${grouped}${rules.decimal}${part}`;
    return number < 0 && /[1-9]/.test(text) ? `-${out}` : out;
  }

  // The one number formatter: `rules` is meta.formats (vocabulary/formatting.py FORMATS).
  function formatWith(rules, value, unit) {
    if (value === null || value === undefined) return rules.none;
    const number = Number(value);
    const r = rules.units[unit]
      || rules.units[rules.fallback[Number.isInteger(number) ? "whole" : "fraction"]];
    if (r.kind === "duration") {
      let total = Number(Math.abs(number).toFixed(0));
      const sign = number < 0 && total ? "-" : "";
      let first = r.parts.findIndex(([size]) => total >= size);
      if (first < 0) first = r.parts.length - 1;
      const shown = [];
      for (const [size, suffix] of r.parts.slice(first, first + r.show)) {
        shown.push(`${Math.floor(total / size)}${suffix}`);
        total %= size;
      }
      return sign + shown.join(" ");
    }
    if (r.kind === "scaled") {
      let n = number;
      let i = 0;
      while (Math.abs(n) >= r.base && i < r.units.length - 1) {
        n /= r.base;
        i += 1;
      }
      let decimals = i ? r.decimals : r.first_decimals;
      if (Number(Math.abs(n).toFixed(decimals)) >= r.base && i < r.units.length - 1) {
        n /= r.base;
        i += 1;
        decimals = r.decimals;
      }
      return `${fixed(rules, n, decimals)}${r.separator}${r.units[i]}`;
    }
    const compact = r.compact;
    if (compact && Math.abs(number) >= compact.from) {
      const steps = compact.steps;
      let i = steps.reduce((best, [size], k) => (Math.abs(number) >= size ? k : best), 0);
      if (Number(Math.abs(number / steps[i][0]).toFixed(compact.decimals)) >= 1000
        && i + 1 < steps.length) i += 1;
      return fixed(rules, number / steps[i][0], compact.decimals, true) + steps[i][1] + r.suffix;
    }
    return fixed(rules, number, r.decimals) + r.suffix;
  }

  function formatNumber(value, unit) {
    return formatWith(meta.formats, value, unit);
  }

  function formatMetric(name, value) {
    return formatNumber(value, (meta.metrics[name] || {}).unit || "count");
  }

  // For tests: the same functions, with rules given or those of the loaded meta.
  window.footfall = {
    format: (value, unit, rules) => formatWith(rules || meta.formats, value, unit),
    parseFilter: (text, grammar, dimensions) => parseFilterWith(grammar || meta.filters,
      dimensions || meta.dimensions, text),
  };

  function metricLabel(name) {
    return (meta.metrics[name] || {}).label || name.replace(/_/g, " ");
  }

  function metricDoc(name) {
    return (meta.metrics[name] || {}).doc || "";
  }

  function displayValue(dimension, value) {
    if (value === null || value === undefined || value === "") return "(none)";
    if (dimension === "visit:country" && regionNames && /^[A-Z]{2}$/.test(value)) {
      try {
        const name = regionNames.of(value);
        if (name && name !== value) return `${name} (${value})`;
      } catch (err) {
        return value;
      }
    }
    return String(value);
  }

  function comparisonLabel(name) {
    return (meta.comparisons.find((c) => c.name === name) || {}).label || "comparison";
  }

  function changeBadge(metric, change, previous, small) {
    if (!state.compare) return null;
    const what = comparisonLabel(state.compare);
    if (change === null || change === undefined) {
      return el("span", { class: `change new${small ? " small" : ""}`,
        title: `Nothing in the ${what} to compare with` }, "new");
    }
    const up = change > 0;
    const same = change === 0;
    let mood = "neutral";
    const better = (meta.metrics[metric] || {}).better;
    if (!same && better) mood = up === (better === "up") ? "good" : "bad";
    const arrow = same ? "=" : up ? "▲" : "▼";
    const title = previous === undefined ? `Change vs the ${what}`
      : `${what}: ${formatMetric(metric, previous)}`;
    return el("span", { class: `change ${mood}${small ? " small" : ""}`, title },
      el("span", { "aria-hidden": "true" }, arrow),
      el("span", { class: "visually-hidden" }, same ? "unchanged" : up ? "up" : "down"),
      ` ${formatNumber(Math.abs(change), "percent")}`);
  }

  // ------------------------------------------------------------------- dates

  function parseDay(text) {
    const [y, m, d] = text.slice(0, 10).split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d));
  }

  function isoDay(date) {
    return date.toISOString().slice(0, 10);
  }

  function daysBetween(from, to) {
    return Math.round((parseDay(to) - parseDay(from)) / 86400000) + 1;
  }

  const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
  const dayYearFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const monthFormat = new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric", timeZone: "UTC" });

  function rangeLabel(range) {
    if (!range) return "";
    if (range.from === range.to) return dayYearFormat.format(parseDay(range.from));
    const sameYear = range.from.slice(0, 4) === range.to.slice(0, 4);
    const start = (sameYear ? dayFormat : dayYearFormat).format(parseDay(range.from));
    return `${start} – ${dayYearFormat.format(parseDay(range.to))}`;
  }

  function bucketLabel(key, interval, long) {
    if (interval === "hour") {
      const hour = key.slice(11, 16);
      return long ? `${dayFormat.format(parseDay(key))}, ${hour}` : hour;
    }
    if (interval === "month") return monthFormat.format(parseDay(`${key}-01`));
    const text = (long ? dayYearFormat : dayFormat).format(parseDay(key));
    return interval === "week" && long ? `Week of ${text}` : text;
  }

  // Now in the site's time zone, as "YYYY-MM-DDTHH:MM" (the order of bucket keys).
  function siteNow() {
    const zone = (sites.find((s) => s.name === state.site) || {}).timezone || "UTC";
    let parts;
    try {
      parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit",
        day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date());
    } catch (err) {
      return new Date().toISOString().slice(0, 16);
    }
    const v = Object.fromEntries(parts.map((x) => [x.type, x.value]));
    return `${v.year}-${v.month}-${v.day}T${v.hour}:${v.minute}`;
  }

  // A bucket's start and end (exclusive) as "YYYY-MM-DDTHH:MM".
  function bucketSpan(key, interval) {
    const stamp = (d) => d.toISOString().slice(0, 16);
    if (interval === "hour") {
      const start = new Date(`${key.slice(0, 10)}T${key.slice(11, 13)}:00:00Z`);
      return [stamp(start), stamp(new Date(start.getTime() + 3600000))];
    }
    if (interval === "month") {
      const start = parseDay(`${key.slice(0, 7)}-01`);
      return [stamp(start), stamp(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)))];
    }
    const start = parseDay(key);
    return [stamp(start), stamp(new Date(start.getTime() + (interval === "week" ? 7 : 1) * 86400000))];
  }

  // Which buckets are not over yet: the one that holds now (partial) and any after it.
  function bucketsInProgress(keys, interval) {
    const now = siteNow();
    let partial = -1;
    let future = keys.length;
    keys.forEach((key, i) => {
      const [start, end] = bucketSpan(key, interval);
      if (start <= now && now < end) partial = i;
      else if (start > now && future === keys.length) future = i;
    });
    return { partial, future };
  }

  const SO_FAR = { hour: "this hour so far", day: "today so far", week: "this week so far",
    month: "this month so far" };

  function autoInterval(days) {
    if (days <= 2) return "hour";
    if (days <= 92) return "day";
    if (days <= 366) return "week";
    return "month";
  }

  function intervalAllowed(interval, days) {
    if (interval === "hour") return days <= 92;
    if (interval === "day") return days <= 1100;
    return true;
  }

  // ------------------------------------------------------------------ notices

  function showNotice(message, kind) {
    const box = $("notice");
    box.className = `notice ${kind || "error"}`;
    box.textContent = message;
    box.hidden = !message;
  }

  // ----------------------------------------------------------------- controls

  function syncControls() {
    const siteSelect = $("site");
    if (state.site && ![...siteSelect.options].some((o) => o.value === state.site)) {
      siteSelect.append(el("option", { value: state.site, text: state.site }));
    }
    siteSelect.value = state.site;
    $("period").value = state.period && meta.periods.some((p) => p.name === state.period) ? state.period : "custom";
    const range = resolved || { from: state.from, to: state.to };
    $("from").value = state.from || (range && range.from) || "";
    $("to").value = state.to || (range && range.to) || "";
    $("compare").value = state.compare;
    $("bots").checked = state.bots;
    $("chart-metric").value = state.metric;
    syncInterval();
    renderFilters();
  }

  function syncInterval() {
    const select = $("interval");
    const days = resolved ? daysBetween(resolved.from, resolved.to) : 30;
    const auto = autoInterval(days);
    for (const option of select.options) {
      if (option.value === "") option.textContent = `Automatic (${{ hour: "hourly", day: "daily", week: "weekly", month: "monthly" }[auto]})`;
      else option.disabled = !intervalAllowed(option.value, days);
    }
    select.value = state.interval && intervalAllowed(state.interval, days) ? state.interval : "";
  }

  function currentInterval() {
    const days = resolved ? daysBetween(resolved.from, resolved.to) : 30;
    return state.interval && intervalAllowed(state.interval, days) ? state.interval : autoInterval(days);
  }

  // The period, comparison and chart metric menus, from meta ("custom" and "no comparison"
  // are the page's own).
  function buildChoices() {
    const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
    $("period").replaceChildren(
      ...meta.periods.map((p) => el("option", { value: p.name }, p.label)),
      el("option", { value: "custom" }, "Custom range"));
    $("compare").replaceChildren(el("option", { value: "" }, "No comparison"),
      ...meta.comparisons.map((c) => el("option", { value: c.name }, capital(c.label))));
    const series = meta.dashboard.series;
    const options = series.map((m) => el("option", { value: m }, metricLabel(m)));
    if (series.length > 1) {
      const pair = series.includes("pageviews") ? [series[0], "pageviews"] : series.slice(0, 2);
      if (pair[0] !== pair[1]) {
        options.splice(series.indexOf(pair[1]) + 1, 0, el("option", { value: pair.join("+") },
          `${metricLabel(pair[0])} and ${metricLabel(pair[1]).toLowerCase()}`));
      }
    }
    $("chart-metric").replaceChildren(...options);
  }

  function wireControls() {
    $("controls").addEventListener("submit", (event) => event.preventDefault());
    $("site").addEventListener("change", (event) => {
      state.site = event.target.value;
      state.filters = [];
      changed();
    });
    $("period").addEventListener("change", (event) => {
      const value = event.target.value;
      if (value === "custom") {
        state.period = "";
        state.from = $("from").value;
        state.to = $("to").value;
        $("from").focus();
      } else {
        state.period = value;
        state.from = "";
        state.to = "";
      }
      changed();
    });
    for (const id of ["from", "to"]) {
      $(id).addEventListener("change", () => {
        const from = $("from").value;
        const to = $("to").value;
        const bad = !from || !to ? "Choose both a start and an end date."
          : from > to ? "The start date must not be after the end date." : "";
        $("to").setCustomValidity(bad);
        if (bad) {
          showNotice(bad, "warning");
          return;
        }
        state.period = "";
        state.from = from;
        state.to = to;
        changed();
      });
    }
    $("compare").addEventListener("change", (event) => {
      state.compare = event.target.value;
      changed();
    });
    $("bots").addEventListener("change", (event) => {
      state.bots = event.target.checked;
      changed();
    });
    $("interval").addEventListener("change", (event) => {
      state.interval = event.target.value;
      writeUrl(true);
      loadChart(generation);
    });
    $("chart-metric").addEventListener("change", (event) => {
      state.metric = event.target.value;
      writeUrl(true);
      markChosenCard();
      renderChart();
    });
    $("clear-filters").addEventListener("click", () => {
      state.filters = [];
      changed();
    });
    window.addEventListener("popstate", () => {
      readUrl();
      refresh();
    });
  }

  // A control changed the view: new URL entry, then reload everything.
  function changed() {
    writeUrl(true);
    refresh();
  }

  // ---------------------------------------------------------------- headline

  // Headline metrics whose number everyone compares with another tool's: their card points
  // to the definition, in a footnote under the cards (a hover alone is lost on a phone).
  const FOOTNOTED = ["visitors"];

  function renderFootnotes() {
    if ($("card-notes").childElementCount) return;
    const notes = FOOTNOTED.filter((name) => meta.dashboard.headline.includes(name) && metricDoc(name));
    $("card-notes").replaceChildren(...notes.map((name) => el("p", { id: `def-${name}`,
      class: "card-footnote", tabindex: "-1" }, el("span", { "aria-hidden": "true" }, "* "),
    el("strong", {}, `${metricLabel(name)}: `), metricDoc(name))));
    $("card-notes").hidden = notes.length === 0;
  }

  function renderCards(overview, failed) {
    const cards = $("cards");
    cards.replaceChildren();
    renderFootnotes();
    for (const name of meta.dashboard.headline) {
      const value = overview ? overview[name] : null;
      const previous = overview && overview.previous ? overview.previous[name] : undefined;
      const change = overview && overview.change ? overview.change[name] : undefined;
      const inner = [
        el("span", { class: "card-label", title: metricDoc(name) }, metricLabel(name)),
        el("span", { class: "card-value", title: value === null ? null : String(value) },
          overview ? formatMetric(name, value) : failed ? "–" : "…"),
        overview && state.compare ? changeBadge(name, change, previous) : null,
      ];
      const attrs = { class: "card", "data-metric": name };
      if (overview) attrs["data-value"] = String(value);
      const noted = $(`def-${name}`) ? `def-${name}` : null;
      const body = meta.dashboard.series.includes(name)
        ? el("button", { type: "button", class: "card-body", "aria-pressed": "false",
          "aria-describedby": noted,
          title: `Show ${metricLabel(name).toLowerCase()} in the chart`,
          onclick: () => {
            state.metric = name;
            writeUrl(true);
            syncControls();
            markChosenCard();
            renderChart();
          } }, inner)
        : el("div", { class: "card-body", "aria-describedby": noted }, inner);
      const note = noted ? el("button", { type: "button", class: "card-note",
        "aria-label": `How ${metricLabel(name).toLowerCase()} are counted`, title: metricDoc(name),
        onclick: () => {
          const target = $(noted);
          target.scrollIntoView({ block: "nearest" });
          target.focus({ preventScroll: true });
        } }, "*") : null;
      cards.append(el("li", attrs, body, note));
    }
    markChosenCard();
  }

  function markChosenCard() {
    const chosen = state.metric.split("+");
    for (const card of document.querySelectorAll(".card")) {
      const on = chosen.includes(card.dataset.metric);
      card.classList.toggle("chosen", on);
      const button = card.querySelector("button");
      if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  // ------------------------------------------------------------------- chart

  async function loadChart(gen) {
    if (!resolved) return;
    const interval = currentInterval();
    syncInterval();
    const box = $("chart");
    box.classList.add("busy");
    try {
      const current = report("timeseries", { interval });
      let before = Promise.resolve(null);
      if (state.compare && resolved.comparison) {
        const q = apiParams({ interval });
        q.delete("period");
        q.set("from", resolved.comparison.from);
        q.set("to", resolved.comparison.to);
        before = getJson(`/api/v1/report/timeseries?${q}`);
      }
      const [now, then] = await Promise.all([current, before]);
      if (gen !== generation) return;
      chartData = { interval, now, then, comparison: resolved.comparison };
      renderChart();
    } catch (err) {
      if (gen !== generation) return;
      chartData = null;
      box.replaceChildren(el("p", { class: "panel-error", role: "alert" }, err.message));
      throw err;
    } finally {
      box.classList.remove("busy");
    }
  }

  // A tick step of 1, 2, 2.5 or 5 times a power of ten (whole numbers: counts), and the top.
  function ticks(max) {
    const raw = Math.max(max, 1) / 4;
    const exponent = 10 ** Math.floor(Math.log10(raw));
    const steps = exponent >= 10 ? [1, 2, 2.5, 5, 10] : [1, 2, 5, 10];
    const step = Math.max(1, steps.find((s) => s * exponent >= raw) * exponent);
    const count = Math.max(1, Math.ceil(max / step));
    return { step, top: step * count, count };
  }

  function renderChart() {
    const box = $("chart");
    const legend = $("chart-legend");
    if (!chartData) return;
    const { interval, now, then, comparison } = chartData;
    const dim = now.dimensions[0];
    const allRows = now.rows;
    const metrics = state.metric.split("+");
    const progress = bucketsInProgress(allRows.map((r) => r[dim]), interval);
    // Buckets still to come are not drawn (no drop to zero); the one in progress is drawn
    // apart: a dashed segment to a hollow point labelled "today so far".
    const rows = allRows.slice(0, progress.future);
    const partial = progress.partial >= 0 && progress.partial < rows.length ? progress.partial : -1;
    const n = rows.length;
    const span = allRows.length; // the x axis keeps the whole period, future buckets too
    const width = Math.max(280, Math.round(box.clientWidth || 600));
    const height = width < 520 ? 200 : 260;
    const pad = { left: 46, right: 14, top: 14, bottom: 30 };
    const innerW = width - pad.left - pad.right;
    const innerH = height - pad.top - pad.bottom;
    const series = metrics.map((m, i) => ({
      metric: m,
      cls: `s${i}`,
      values: rows.map((r) => Number(r[m]) || 0),
      before: then ? then.rows.slice(0, span).map((r) => Number(r[m]) || 0) : null,
    }));
    const all = series.flatMap((s) => [...s.values, ...(s.before || [])]);
    const scale = ticks(Math.max(0, ...all));
    const top = scale.top;
    const x = (i) => pad.left + (span <= 1 ? innerW / 2 : (i * innerW) / (span - 1));
    const y = (v) => pad.top + innerH - (v / top) * innerH;

    const peak = Math.max(0, ...series[0].values);
    const peakAt = series[0].values.indexOf(peak);
    const names = metrics.map((m) => metricLabel(m).toLowerCase()).join(" and ");
    const summary = n
      ? `${names} per ${interval}, ${rangeLabel(resolved)}: peak ${formatMetric(metrics[0], peak)} ${metricLabel(metrics[0]).toLowerCase()} on ${bucketLabel(rows[peakAt][dim], interval, true)}`
      : `No data for ${rangeLabel(resolved)}`;
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
      "aria-label": summary, class: "chart-svg" });
    const title = svg("title");
    title.textContent = summary;
    root.append(title);

    // Grid lines and y labels.
    for (let i = 0; i <= scale.count; i += 1) {
      const value = scale.step * i;
      const gy = y(value);
      root.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: gy, y2: gy, class: "grid" }));
      const label = svg("text", { x: pad.left - 6, y: gy + 4, class: "axis", "text-anchor": "end" });
      label.textContent = formatMetric(metrics[0], value);
      root.append(label);
    }
    // X labels: as many as fit.
    const every = Math.max(1, Math.ceil(span / Math.max(1, Math.floor(innerW / 74))));
    for (let i = 0; i < span; i += every) {
      let anchor = "middle";
      if (span > 1 && x(i) - pad.left < 24) anchor = "start";
      else if (span > 1 && width - pad.right - x(i) < 24) anchor = "end";
      const label = svg("text", { x: x(i), y: height - 8, class: "axis", "text-anchor": anchor });
      const key = allRows[i][dim];
      label.textContent = interval === "hour" && key.slice(11, 13) === "00" && i > 0
        ? dayFormat.format(parseDay(key)) : bucketLabel(key, interval, false);
      root.append(label);
    }

    const path = (values, from) => values.map((v, i) => `${i ? "L" : "M"}${x(i + (from || 0)).toFixed(1)},${y(v).toFixed(1)}`).join("");
    const done = partial >= 0 ? partial : n; // buckets that are over
    series.forEach((s, index) => {
      if (s.before && s.before.length) {
        root.append(svg("path", { d: path(s.before), class: `line before ${s.cls}` }));
      }
      const complete = s.values.slice(0, done);
      if (index === 0 && complete.length > 1) {
        const area = `${path(complete)}L${x(done - 1).toFixed(1)},${y(0)}L${x(0).toFixed(1)},${y(0)}Z`;
        root.append(svg("path", { d: area, class: `area ${s.cls}` }));
      }
      if (complete.length > 1) root.append(svg("path", { d: path(complete), class: `line ${s.cls}` }));
      if (partial > 0) {
        root.append(svg("path", { d: path(s.values.slice(partial - 1, partial + 1), partial - 1),
          class: `line partial ${s.cls}` }));
      }
      if (n <= 40) {
        complete.forEach((v, i) => root.append(svg("circle", { cx: x(i), cy: y(v), r: 3, class: `dot ${s.cls}` })));
      }
      if (partial >= 0) {
        root.append(svg("circle", { cx: x(partial), cy: y(s.values[partial]), r: 3.5,
          class: `dot partial ${s.cls}` }));
      }
    });
    if (partial >= 0) {
      const px = x(partial);
      const note = svg("text", { x: px - 6, y: Math.max(pad.top + 10, y(series[0].values[partial]) - 9),
        class: "axis so-far", "text-anchor": px > width / 2 ? "end" : "start" });
      if (px <= width / 2) note.setAttribute("x", px + 6);
      note.textContent = SO_FAR[interval];
      root.append(note);
    }

    // Hover: a guide line and a tooltip with the bucket's numbers.
    const guide = svg("line", { y1: pad.top, y2: pad.top + innerH, class: "guide", visibility: "hidden" });
    root.append(guide);
    const hit = svg("rect", { x: pad.left, y: pad.top, width: innerW, height: innerH, class: "hit" });
    root.append(hit);
    const tip = el("div", { class: "tip", hidden: true, role: "status" });
    const show = (event) => {
      if (!n) return;
      const rect = root.getBoundingClientRect();
      const px = ((event.clientX - rect.left) / rect.width) * width;
      const i = span <= 1 ? 0 : Math.max(0, Math.min(n - 1, Math.round(((px - pad.left) / innerW) * (span - 1))));
      guide.setAttribute("x1", x(i));
      guide.setAttribute("x2", x(i));
      guide.setAttribute("visibility", "visible");
      const lines = [el("strong", {}, bucketLabel(rows[i][dim], interval, true),
        i === partial ? ` (${SO_FAR[interval]})` : "")];
      for (const s of series) {
        lines.push(el("span", { class: `tip-row ${s.cls}` }, `${metricLabel(s.metric)}: ${formatMetric(s.metric, s.values[i])}`));
        if (s.before && i < s.before.length) {
          const key = then.rows[i][dim];
          lines.push(el("span", { class: "tip-row before" },
            `${bucketLabel(key, interval, true)}: ${formatMetric(s.metric, s.before[i])}`));
        }
      }
      tip.replaceChildren(...lines);
      tip.hidden = false;
      const left = (x(i) / width) * rect.width;
      tip.classList.toggle("flip", left > rect.width / 2);
      tip.style.left = `${Math.round(left)}px`;
    };
    hit.addEventListener("pointermove", show);
    hit.addEventListener("pointerdown", show);
    hit.addEventListener("pointerleave", () => {
      tip.hidden = true;
      guide.setAttribute("visibility", "hidden");
    });
    box.replaceChildren(root, tip);

    const items = series.map((s) => el("span", { class: "key" },
      el("span", { class: `swatch ${s.cls}`, "aria-hidden": "true" }),
      el("span", { title: metricDoc(s.metric) }, metricLabel(s.metric)),
      ` ${formatMetric(s.metric, s.values.reduce((a, b) => a + b, 0))}`));
    if (then && comparison) {
      items.push(el("span", { class: "key" },
        el("span", { class: "swatch before", "aria-hidden": "true" }),
        `${comparisonLabel(state.compare)} (${rangeLabel(comparison)})`));
    }
    if (partial >= 0) {
      items.push(el("span", { class: "key" }, el("span", { class: "swatch partial", "aria-hidden": "true" }),
        `${SO_FAR[interval]} (not over yet)`));
    }
    items.push(el("span", { class: "key muted" }, `per ${interval}, sums of ${n} ${interval}${n === 1 ? "" : "s"}`));
    legend.replaceChildren(...items);
  }

  // ------------------------------------------------------------------ panels

  function buildPanels() {
    const grid = $("panels");
    grid.replaceChildren();
    for (const panel of meta.dashboard.panels) {
      panelState[panel.id] = panelState[panel.id] || { tab: 0, limit: PANEL_LIMIT };
      const section = el("section", { class: "panel list-panel", id: `panel-${panel.id}`,
        "data-panel": panel.id, "aria-labelledby": `title-${panel.id}` });
      const head = el("div", { class: "panel-head" },
        el("h2", { id: `title-${panel.id}` }, panel.title));
      if (panel.tabs.length > 1) {
        const list = el("div", { class: "tabs", role: "tablist", "aria-label": panel.title });
        panel.tabs.forEach((tab, i) => {
          list.append(el("button", {
            type: "button", role: "tab", class: "tab", id: `tab-${tab.report}`,
            "data-report": tab.report, "aria-controls": `body-${panel.id}`,
            onclick: () => selectTab(panel, i, true),
            onkeydown: (event) => {
              const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
              if (!step) return;
              event.preventDefault();
              const next = (i + step + panel.tabs.length) % panel.tabs.length;
              selectTab(panel, next, true);
              $(`tab-${panel.tabs[next].report}`).focus();
            },
          }, tab.label));
        });
        head.append(list);
      }
      section.append(head,
        el("div", { class: "panel-body", id: `body-${panel.id}`,
          role: panel.tabs.length > 1 ? "tabpanel" : null }),
        el("div", { class: "panel-foot" }));
      grid.append(section);
      markTab(panel);
    }
  }

  function markTab(panel) {
    const chosen = panelState[panel.id].tab;
    panel.tabs.forEach((tab, i) => {
      const button = $(`tab-${tab.report}`);
      if (!button) return;
      button.setAttribute("aria-selected", i === chosen ? "true" : "false");
      button.tabIndex = i === chosen ? 0 : -1;
    });
    const body = $(`body-${panel.id}`);
    if (panel.tabs.length > 1) body.setAttribute("aria-labelledby", `tab-${panel.tabs[chosen].report}`);
  }

  function selectTab(panel, index, load) {
    panelState[panel.id].tab = index;
    panelState[panel.id].limit = PANEL_LIMIT;
    markTab(panel);
    if (load) loadPanel(panel, generation).catch(() => {});
  }

  async function loadPanel(panel, gen) {
    const tab = panel.tabs[panelState[panel.id].tab];
    const body = $(`body-${panel.id}`);
    body.classList.add("busy");
    body.setAttribute("aria-busy", "true");
    try {
      const data = await report(tab.report, {
        limit: panelState[panel.id].limit,
        compare: state.compare,
      });
      if (gen !== generation || panel.tabs[panelState[panel.id].tab] !== tab) return;
      renderPanel(panel, tab, data);
    } catch (err) {
      if (gen !== generation) return;
      body.replaceChildren(el("p", { class: "panel-error", role: "alert" }, err.message));
      throw err;
    } finally {
      body.classList.remove("busy");
      body.removeAttribute("aria-busy");
    }
  }

  function rowLabel(tab, row, dims) {
    const main = displayValue(dims[0], row[dims[0]]);
    if (meta.reports[tab.report].bots) {
      const name = row["event:bot_name"];
      return { main: name || "(unnamed)", sub: `${row["event:bot_category"]} · ${row["event:bot_rule"] || "no rule"}`,
        dimension: name ? "event:bot_name" : "event:bot_rule", value: name || row["event:bot_rule"] };
    }
    const sub = dims.slice(1).map((d) => displayValue(d, row[d])).join(" / ");
    return { main, sub, dimension: tab.filter_on || dims[0], value: row[dims[0]] };
  }

  function renderPanel(panel, tab, data) {
    const body = $(`body-${panel.id}`);
    const foot = body.parentElement.querySelector(".panel-foot");
    const dims = data.dimensions;
    const metrics = data.metrics;
    const primary = metrics[0];
    // Rows with nothing in the main metric (a 404 path in "Top pages") carry no bar: left out.
    const rows = data.rows.filter((r) => Number(r[primary]) > 0);
    const max = Math.max(0, ...rows.map((r) => Number(r[primary]) || 0));
    const header = el("div", { class: "cols", "aria-hidden": "true" },
      el("span", { class: "col-label", title: (meta.dimensions[dims[0]] || {}).doc || "" },
        meta.reports[tab.report].bots ? "Bot" : dimensionLabel(dims[0])),
      metrics.map((m, i) => el("span", { class: `col-num${i ? " secondary" : ""}`, title: metricDoc(m) },
        metricLabel(m))));
    const list = el("ol", { class: "rows", "aria-label": `${tab.label}, by ${metricLabel(primary).toLowerCase()}` });
    for (const row of rows) {
      const label = rowLabel(tab, row, dims);
      const value = Number(row[primary]) || 0;
      const bar = el("span", { class: "bar", "aria-hidden": "true" });
      bar.style.width = `${max ? Math.max(0.5, (100 * value) / max) : 0}%`;
      const cells = [
        bar,
        el("span", { class: "row-label", title: label.sub ? `${label.main} (${label.sub})` : label.main },
          el("span", { class: "row-main" }, label.main),
          label.sub ? el("span", { class: "row-sub" }, label.sub) : null),
        metrics.map((m, i) => el("span", { class: `row-num${i ? " secondary" : ""}` },
          formatMetric(m, row[m]),
          i === 0 && state.compare ? changeBadge(m, row[`${m}_change`], row[`${m}_previous`], true) : null)),
      ];
      const clickable = label.value !== null && label.value !== undefined && label.value !== "";
      const summary = `${label.main}: ${metrics.map((m) => `${formatMetric(m, row[m])} ${metricLabel(m).toLowerCase()}`).join(", ")}`;
      const item = clickable
        ? el("button", { type: "button", class: "row", "data-dimension": label.dimension,
          "data-value": label.value, "aria-label": `${summary}. Filter by ${dimensionLabel(label.dimension)}: ${label.value}`,
          onclick: () => addFilter(label.dimension, label.value) }, cells)
        : el("div", { class: "row static", "data-dimension": label.dimension, "data-value": "",
          "aria-label": summary }, cells);
      list.append(el("li", {}, item));
    }
    const content = [header, list];
    if (!rows.length) content.splice(0, 2, el("p", { class: "empty" }, "No data for this period."));
    body.replaceChildren(...content);

    foot.replaceChildren();
    const limit = panelState[panel.id].limit;
    if (data.total_rows > data.rows.length || limit > PANEL_LIMIT) {
      const more = limit === PANEL_LIMIT;
      foot.append(el("button", { type: "button", class: "link-button",
        onclick: () => {
          panelState[panel.id].limit = more ? MORE_LIMIT : PANEL_LIMIT;
          loadPanel(panel, generation).catch(() => {});
        } }, more ? `Show more (${formatNumber(data.total_rows, "count")})` : "Show fewer"));
    }
    if (meta.actions.has("export") && rows.length) {
      foot.append(el("button", { type: "button", class: "link-button export",
        "data-report": tab.report, "aria-label": `Export ${tab.label} as CSV`,
        onclick: (event) => exportCsv(tab, event.currentTarget) }, "Export CSV"));
    }
  }

  // ------------------------------------------------------------------ export

  async function exportCsv(tab, button) {
    const info = meta.reports[tab.report];
    if (!info || !resolved) return;
    const filters = state.filters.map(parseFilter).map((f) => [f.dimension, f.op, [f.value]]);
    const body = {
      site: state.site,
      metrics: info.metrics,
      dimensions: info.dimensions,
      filters: [...filters, ...(info.filters || []).map(parseFilter)
        .map((f) => [f.dimension, f.op, [f.value]])],
      date_range: [resolved.from, resolved.to],
      include_bots: state.bots || Boolean(meta.reports[tab.report].bots),
      limit: 10000,
    };
    if (state.compare) body.compare = state.compare;
    button.disabled = true;
    try {
      const res = await request("/api/v1/query?format=csv", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": CSRF },
        body: JSON.stringify(body),
      });
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, class: "visually-hidden",
        download: `footfall-${state.site}-${tab.report}-${resolved.from}_${resolved.to}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30000);
    } catch (err) {
      showNotice(`Export failed: ${err.message}`);
    } finally {
      button.disabled = false;
    }
  }

  // --------------------------------------------------------- measurement plan


  const PLAN_BOXES = ["plan-kpis", "plan-goals", "plan-funnels", "plan-economics", "plan-attribution"];

  // A plan report's rows under the columns meta gives it (name, label, unit), in a box that
  // scrolls sideways on a narrow screen (nothing is cut off).
  function table(report, rows) {
    const columns = (meta.reports[report] || {}).columns || [];
    const cell = (value, unit) => {
      if (value === null || value === undefined) return meta.formats.none;
      return unit === "text" ? String(value) : formatNumber(value, unit);
    };
    const head = el("tr", {}, ...columns.map((c) => el("th", { scope: "col",
      class: c.unit === "text" ? null : "num",
      title: FOOTNOTED.includes(c.name) ? metricDoc(c.name) : null }, c.label)));
    const body = rows.map((row) => el("tr", {}, ...columns.map((c) =>
      el("td", { class: c.unit === "text" ? null : "num" }, cell(row[c.name], c.unit)))));
    return el("div", { class: "table-scroll", tabindex: "0", role: "region",
      "aria-label": `${(meta.reports[report] || {}).doc || report} (scrolls sideways)` },
    el("table", { class: "data" }, el("thead", {}, head), el("tbody", {}, ...body)));
  }

  function planBusy(on) {
    for (const id of PLAN_BOXES) {
      const box = $(id);
      if (on) {
        box.setAttribute("aria-busy", "true");
        box.replaceChildren(el(id === "plan-kpis" ? "li" : "p", { class: "plan-loading" }, "Loading…"));
      } else {
        box.removeAttribute("aria-busy");
      }
    }
  }

  function dayLabel(text) {
    return /^\d{4}-\d{2}-\d{2}$/.test(String(text)) ? dayYearFormat.format(parseDay(text)) : text;
  }

  // A mark on a KPI track at `share` (0..1) of its width.
  function mark(cls, share, title) {
    const node = el("span", { class: cls, title });
    node.style.left = `${(100 * Math.min(1, Math.max(0, share))).toFixed(2)}%`;
    return node;
  }

  // Each KPI: progress against its target and against the pace expected by today.  An
  // "at least" target is a finish line to reach; an "at most" target is a ceiling: the track
  // runs past it, and what lies over it is the bad side.
  function renderKpis(kpis) {
    $("plan-kpis").replaceChildren(...kpis.map((k) => {
      const n = (value) => formatNumber(value, k.unit);
      const ceiling = k.direction === "at_most";
      const actual = Number(k.actual) || 0;
      const target = Number(k.target) || 0;
      const scale = ceiling ? Math.max(target * 1.25, actual * 1.05, 1e-9)
        : Math.max(target, actual, 1e-9);
      const tone = meta.kpiStatuses[k.status] || "neutral";
      const bar = el("span", { class: "kpi-bar" });
      bar.style.width = `${(100 * Math.min(1, actual / scale)).toFixed(2)}%`;
      const track = el("span", { class: "kpi-track", role: "img",
        "aria-label": `${n(actual)} against ${ceiling ? "at most" : "at least"} ${n(target)}; ` +
          `expected by today ${n(k.expected)}` }, bar);
      if (ceiling) {
        const over = mark("kpi-over", target / scale, "Over the ceiling: bad");
        over.style.width = `${(100 * Math.max(0, 1 - target / scale)).toFixed(2)}%`;
        track.prepend(over);
      }
      track.append(
        mark("kpi-pace", k.expected / scale, `Expected by today: ${n(k.expected)}`),
        mark("kpi-target", target / scale, `${ceiling ? "Ceiling" : "Target"}: ${n(target)}`));
      const gap = ceiling ? target - actual : actual - Number(k.expected);
      const words = ceiling
        ? [`${n(actual)}`, `ceiling ${n(target)} (at most)`,
          `${n(Math.abs(gap))} ${gap >= 0 ? "under it" : "over it"}`]
        : [`${n(actual)} of at least ${n(target)}`, `expected ${n(k.expected)} by today`];
      if (k.forecast !== null && k.forecast !== undefined) words.push(`forecast ${n(k.forecast)}`);
      words.push(`deadline ${dayLabel(k.deadline)}`);
      return el("li", { class: `kpi kpi-${tone}${ceiling ? " ceiling" : ""}`, "data-kpi": k.kpi,
        "data-direction": k.direction },
      el("span", { class: "kpi-head" }, el("strong", {}, k.kpi),
        el("span", { class: "kpi-status" }, k.status)),
      el("span", { class: "kpi-text" }, words.join(" · ")),
      track,
      el("span", { class: "kpi-keys", "aria-hidden": "true" },
        el("span", { class: "key-bar" }, "actual"),
        el("span", { class: "key-target" }, ceiling ? "ceiling" : "target"),
        el("span", { class: "key-pace" }, "expected by today"),
        ceiling ? el("span", { class: "key-over" }, "over: bad") : null));
    }));
  }

  // A funnel's steps as bars as long as their visitors, each with what was lost after it.
  function funnelChart(steps) {
    const first = Number((steps[0] || {}).visitors) || 0;
    return el("ol", { class: "funnel-chart", "aria-label": "Visitors at each step" },
      steps.map((s, i) => {
        const bar = el("span", { class: "funnel-bar" });
        bar.style.width = `${first ? (100 * (Number(s.visitors) || 0)) / first : 0}%`;
        const next = steps[i + 1];
        const time = s.median_seconds_from_previous;
        return el("li", { class: "funnel-step" },
          el("span", { class: "funnel-label" }, s.step,
            time === null || time === undefined ? null
              : el("small", {}, ` · median ${formatNumber(time, "seconds")} after the step before`)),
          el("span", { class: "funnel-track" }, bar),
          el("span", { class: "funnel-num" }, `${formatNumber(s.visitors, "count")} ` +
            `(${formatNumber(s.share_of_entrants, "percent")})`),
          next ? el("span", { class: "funnel-drop" }, `↓ ${formatNumber(s.dropoff, "count")} drop off ` +
            `(${formatNumber(s.dropoff_rate, "percent")})`) : null);
      }));
  }

  // Attribution: per campaign (or channel, source), one bar per model, side by side.
  function attributionChart(d) {
    const models = d.models || [];
    const values = d.rows.flatMap((r) => models.map((m) => Number(r[m.name]) || 0));
    const max = Math.max(0, ...values);
    const label = d.by || "campaign";
    return el("div", { class: "attribution-chart" },
      el("p", { class: "model-keys", "aria-hidden": "true" }, models.map((m, i) =>
        el("span", { class: `model-key m${i}`, title: m.doc }, metricLabelOf("attribution", m.name)))),
      el("ul", { class: "model-groups" }, d.rows.map((row) => el("li", { class: "model-group" },
        el("span", { class: "model-name" }, displayValue(label, row[label])),
        el("span", { class: "model-bars" }, models.map((m, i) => {
          const bar = el("span", { class: `model-bar m${i}`,
            title: `${metricLabelOf("attribution", m.name)}: ${formatNumber(row[m.name], "money")}` });
          bar.style.width = `${max ? (100 * (Number(row[m.name]) || 0)) / max : 0}%`;
          return bar;
        }))))));
  }

  function metricLabelOf(report, name) {
    const column = ((meta.reports[report] || {}).columns || []).find((c) => c.name === name);
    return column ? column.label : name.replace(/_/g, " ");
  }

  async function loadPlan(gen) {
    const section = $("plan");
    const hint = $("plan-hint");
    const site = encodeURIComponent(state.site);
    if (!section.hidden) planBusy(true); // a view of the same site: its plan reloads
    let plan;
    try {
      plan = await getJson(`/api/v1/plan?site=${site}`);
    } catch (err) {
      plan = { plan: null };
    }
    if (gen !== generation) return;
    if (!plan.plan) {
      section.hidden = true;
      hint.hidden = false;
      planBusy(false);
      return;
    }
    hint.hidden = true;
    planBusy(true);
    section.hidden = false;
    $("plan-meta").textContent = `${plan.path} · amounts in ${plan.currency} · identity ${plan.identity}`;
    const get = (name) => getJson(`/api/v1/plan/report/${name}?${apiParams()}`);
    const [kpis, goals, funnels, economics, attribution] = await Promise.all(
      ["kpis", "goals", "funnels", "campaign-economics", "attribution"]
        .map((n) => get(n).catch((e) => e)));
    if (gen !== generation) return;
    const show = (id, data, render) => {
      if (data instanceof Error) $(id).replaceChildren(el("p", { class: "panel-error" }, data.message));
      else render(data);
      $(id).removeAttribute("aria-busy");
    };
    show("plan-kpis", kpis, (d) => renderKpis(d.kpis));
    show("plan-goals", goals, (d) => $("plan-goals").replaceChildren(table("goals", d.rows)));
    show("plan-funnels", funnels, (d) => $("plan-funnels").replaceChildren(...d.funnels.map((f) =>
      el("div", { class: "funnel", "data-funnel": f.funnel }, el("p", { class: "plan-meta" }, f.funnel),
        funnelChart(f.segments.all || []), table("funnels", f.segments.all || [])))));
    show("plan-economics", economics, (d) => $("plan-economics").replaceChildren(
      table("campaign-economics", d.campaigns)));
    show("plan-attribution", attribution, (d) => $("plan-attribution").replaceChildren(
      el("p", { class: "plan-meta" }, `${formatNumber(d.conversions, "count")} conversions, ` +
        `${formatNumber(d.value, "money")} ${d.currency}; path known for ` +
        `${formatNumber(d.known_path_share, "percent")} (identity ${d.identity})`),
      attributionChart(d),
      table("attribution", d.rows),
      ...(typeof d.value_note === "string" && d.value_note ? [el("p", { class: "plan-note" }, d.value_note)] : [])));
  }

  // ------------------------------------------------------------------ snippet

  async function loadSnippet() {
    const box = $("snippet");
    if (!box || !state.site) return;
    try {
      const answer = await getJson(`/api/v1/snippet?site=${encodeURIComponent(state.site)}`);
      box.textContent = answer.snippet;
    } catch (err) {
      box.textContent = "";
    }
  }

  // ------------------------------------------------------------------ reload

  async function refresh() {
    generation += 1;
    const gen = generation;
    document.body.dataset.state = "loading";
    $("main").setAttribute("aria-busy", "true");
    showNotice("");
    syncControls();
    document.title = state.site ? `${state.site} · Footfall` : "Footfall";
    // The headline first: its request goes out alone, so it gets a connection and the
    // server's cores to itself; the chart (which needs the resolved period) and the
    // panels follow as soon as it has answered (or failed), then the plan and snippet.
    // (The order of the two handlers below is that order: the cards, then the rest.)
    const headline = report("overview", { compare: state.compare });
    const overviewJob = headline.then((overview) => {
      if (gen !== generation) return;
      resolved = { ...overview.period, comparison: overview.comparison ? overview.comparison.period : null };
      syncControls();
      renderCards(overview);
      return loadChart(gen);
    });
    overviewJob.catch(() => {}); // settled below, after the panels have been asked for
    const rest = headline.catch(() => null).then(() => {
      if (gen !== generation) return [];
      const panels = meta.dashboard.panels.map((panel) => loadPanel(panel, gen));
      loadPlan(gen); // on its own: a site without a plan still has a dashboard
      loadSnippet();
      return panels;
    });
    const jobs = [...(await rest), overviewJob];
    if (gen !== generation) return;
    const results = await Promise.allSettled(jobs);
    if (gen !== generation) return;
    $("main").removeAttribute("aria-busy");
    const overviewResult = results[results.length - 1];
    const failed = overviewResult.status === "rejected" ? overviewResult
      : results.find((r) => r.status === "rejected");
    if (failed) {
      if (failed === overviewResult) {
        resolved = null; // nothing to export or chart until a view loads
        renderCards(null, true);
        chartData = null;
        $("chart").replaceChildren(el("p", { class: "panel-error" }, "No chart: the numbers could not be loaded."));
        $("chart-legend").replaceChildren();
      }
      showNotice(`Could not load the dashboard: ${failed.reason.message}`);
      document.body.dataset.state = "error";
    } else {
      document.body.dataset.state = "ready";
    }
  }

  function defaultPeriod(site) {
    const info = sites.find((s) => s.name === site);
    if (!info || !info.data) return "30d";
    const monthAgo = isoDay(new Date(Date.now() - 29 * 86400000));
    return info.data.to < monthAgo ? "all" : "30d";
  }

  async function start() {
    let metaJson;
    let sitesJson;
    try {
      [metaJson, sitesJson] = await Promise.all([getJson("/api/v1/meta"), getJson("/api/v1/sites")]);
    } catch (err) {
      showNotice(`Could not load the dashboard: ${err.message}`);
      document.body.dataset.state = "error";
      return;
    }
    for (const m of metaJson.metrics) meta.metrics[m.name] = m;
    for (const d of metaJson.dimensions) meta.dimensions[d.name] = d;
    for (const r of metaJson.reports) meta.reports[r.name] = r;
    meta.kpiStatuses = metaJson.kpi_statuses || {};
    meta.actions = new Set(metaJson.actions);
    meta.formats = metaJson.formats;
    meta.filters = metaJson.filters;
    meta.dashboard = metaJson.dashboard;
    meta.periods = metaJson.periods;
    meta.comparisons = metaJson.comparisons;
    buildChoices();
    readUrl(); // filters in the URL are read by the grammar of meta
    wireControls();
    renderCards(null);
    for (const option of $("chart-metric").options) {
      option.title = option.value.split("+").map(metricDoc).join(" ");
    }
    sites = sitesJson.sites;
    const siteSelect = $("site");
    siteSelect.replaceChildren(...sites.map((s) => el("option", { value: s.name, text: s.name })));
    if (!sites.length) {
      showNotice("No sites yet. Import a log first: footfall import ACCESS.LOG --site NAME", "info");
      document.body.dataset.state = "empty";
      return;
    }
    if (!state.site) state.site = sites[0].name;
    if (!state.period && !state.from && !state.to) state.period = defaultPeriod(state.site);
    writeUrl(false);
    buildPanels();
    renderCards(null);
    let resizeTimer = 0;
    let lastWidth = 0;
    new ResizeObserver(() => {
      const width = $("chart").clientWidth;
      if (width === lastWidth) return;
      lastWidth = width;
      cancelAnimationFrame(resizeTimer);
      resizeTimer = requestAnimationFrame(renderChart);
    }).observe($("chart"));
    await refresh();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
