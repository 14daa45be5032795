/*! footfall source-sha256:3d10d54e5b583b8eaa7570e1546289ec9f6ed932e1ad94f491a0da869bfce979 */
// Footfall's page-timing extension, readable source (served: footfall.timing.min.js, built
// like footfall.min.js: see footfall.js and README.md).
// Load it after footfall.js.  It measures how the page loaded and responded, then sends
// ONE event "Page Timing" through window.footfall when the page is first hidden or left
// (visibilitychange to hidden, or pagehide, whichever comes first):
//   ttfb  time to first byte: navigation responseStart (ms)
//   lcp   largest contentful paint: start time of the last candidate (ms)
//   cls   cumulative layout shift: the largest session window (shifts less than 1 s apart,
//         window at most 5 s), shifts right after an input excluded; 3 decimals
//   inp   interaction to next paint, approximated as the longest interaction seen through
//         the Event Timing API (durationThreshold 40 ms, plus the first input whatever its
//         duration) (ms)
// Values are strings, ms rounded.  A key is left out when the browser cannot measure it
// (Safari has no LCP, layout-shift or event timing) and inp when nobody interacted.
// The event's URL is the one the page loaded with, even if a single-page app moved on.
(function () {
  var doc = document;
  var url = location.href;
  var Observer = window.PerformanceObserver;
  var supported = (Observer && Observer.supportedEntryTypes) || [];
  var observers = [];
  var lcp, cls, inp, sent;
  var session = 0;
  var sessionStart = 0;
  var lastShift = 0;

  function observe(type, handle, options) {
    if (supported.indexOf(type) < 0) return;
    var observer = new Observer(function (list) {
      list.getEntries().forEach(handle);
    });
    options = options || {};
    options.type = type;
    options.buffered = true;
    observer.observe(options);
    observers.push([observer, handle]);
  }

  function interaction(entry) {
    if (entry.interactionId || entry.entryType == "first-input")
      inp = Math.max(inp || 0, entry.duration);
  }

  observe("largest-contentful-paint", function (entry) {
    lcp = entry.startTime;
  });
  observe("layout-shift", function (entry) {
    cls = cls || 0;
    if (entry.hadRecentInput) return;
    var t = entry.startTime;
    if (session && t - lastShift < 1000 && t - sessionStart < 5000) session += entry.value;
    else {
      session = entry.value;
      sessionStart = t;
    }
    lastShift = t;
    cls = Math.max(cls, session);
  });
  if (supported.indexOf("layout-shift") >= 0) cls = 0;
  observe("event", interaction, { durationThreshold: 40 });
  observe("first-input", interaction);

  function report() {
    if (sent) return;
    sent = 1;
    // entries the observers have not delivered yet
    observers.forEach(function (o) {
      o[0].takeRecords().forEach(o[1]);
    });
    var perf = window.performance;
    var nav = perf && perf.getEntriesByType && perf.getEntriesByType("navigation")[0];
    var props = {};
    var ms = function (key, value) {
      if (value != null) props[key] = "" + Math.round(value);
    };
    // a prerendered page is timed from when it was shown (activationStart)
    var shown = (nav && nav.activationStart) || 0;
    if (nav) ms("ttfb", Math.max(nav.responseStart - shown, 0));
    if (lcp != null) ms("lcp", Math.max(lcp - shown, 0));
    if (cls != null) props.cls = cls.toFixed(3);
    ms("inp", inp);
    if (window.footfall) window.footfall("Page Timing", { props: props, url: url });
  }

  doc.addEventListener("visibilitychange", function () {
    if (doc.visibilityState == "hidden") report();
  });
  window.addEventListener("pagehide", report);
})();
