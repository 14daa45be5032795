/*! footfall source-sha256:6d316acda6899e1079f9a2e85de2e23d216ea07efe9565833bf1a67a092ac8f7 */
// Footfall's cookieless tracker, readable source.  The served file is footfall.min.js,
// built from this one with `python -m tests.tracker.minify` (see README.md).  The first
// line here carries the sha256 of everything below it, the first line of footfall.min.js
// its first 16 hex digits: a test fails when this file is edited without rebuilding.
//
// What it sends: one small JSON body per event (see README.md for every key), POSTed as
// text/plain (no CORS preflight).  It stores nothing: no cookie, no localStorage, no ids
// that outlive the event.  It only reads the opt-out flag `localStorage.footfall_ignore`.
(function () {
  var win = window;
  var doc = document;
  var loc = location;
  var nav = navigator;
  var script = doc.currentScript;
  var attr = function (name) {
    return script.getAttribute(name);
  };
  var domain = attr("data-domain") || loc.hostname;
  var api = attr("data-api") || new URL(script.src).origin + "/api/event";
  var hashMode = script.hasAttribute("data-hash");
  // A page on this computer is not a visit, unless the site asks (data-allow-localhost).
  var local =
    !script.hasAttribute("data-allow-localhost") &&
    (/^(localhost|127(\.\d+){3}|\[::1\])$/.test(loc.hostname) || loc.protocol == "file:");
  var lastPage;

  // 16 url-safe characters (0-9a-v, uniform: 80 random bits) from the browser's random
  // generator: the server drops a second copy of an event with the same id (a retried send).
  // Sent as "id" and the pid as "pid": Plausible's scripts use "i" and "v" for other things.
  function eventId() {
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return (b & 31).toString(32);
    }).join("");
  }

  // window.footfall(name, {props, revenue: {amount, currency}, callback, url})
  function send(name, options) {
    options = options || {};
    var props = options.props;
    var revenue = options.revenue;
    var callback = options.callback;
    var done = function () {
      if (callback) callback();
    };
    if (local) return done();
    try {
      // the opt-out flag, set by the site for a person who asked not to be counted
      if (localStorage.footfall_ignore == "true") return done();
    } catch (e) {
      // storage blocked (sandboxed frame, strict privacy settings): not an opt-out
    }
    var event = {
      n: name,
      u: options.url || loc.href,
      d: domain,
      r: doc.referrer || null,
      id: eventId(),
    };
    if (props) {
      // props are string -> string on the wire
      event.p = {};
      for (var key in props) if (props[key] != null) event.p[key] = "" + props[key];
    }
    if (revenue) event.$ = { a: revenue.amount, c: revenue.currency };
    // a pseudonymous id the site itself keeps, only where it chose the persistent
    // identity and asked consent (docs/privacy.md); this script never stores one
    if (win.footfall_pid) event.pid = "" + win.footfall_pid;
    var body = JSON.stringify(event);
    // sendBeacon survives the page being unloaded; it returns false when the browser's
    // beacon queue is full, then fetch with keepalive does the same job.
    if (nav.sendBeacon && nav.sendBeacon(api, body)) return done();
    fetch(api, {
      method: "POST",
      body: body,
      keepalive: true,
      headers: { "content-type": "text/plain" },
    }).then(done, done);
  }

  // One pageview per URL: the hash counts only with data-hash.
  function pageview() {
    var page = hashMode ? loc.href : loc.href.split("#")[0];
    if (page == lastPage) return;
    lastPage = page;
    send("pageview");
  }

  // Outbound link clicks and file downloads.  The beacon is fire-and-forget, so the
  // navigation goes ahead untouched.  A middle click (auxclick, button 1) opens a tab.
  function onClick(e) {
    var link = e.target.closest && e.target.closest("a");
    if (!link || (e.type == "auxclick" && e.button != 1)) return;
    var url = link.href;
    var props = { props: { url: url } };
    if (/\.(pdf|xlsx?|docx?|pptx|zip|gz|dmg|exe|csv|mp3|mp4)$/i.test(link.pathname))
      send("File Download", props);
    else if (link.host && link.host != loc.host) send("Outbound Link: Click", props);
  }

  // Single-page apps: pushState is a navigation, replaceState is not.
  var pushState = history.pushState;
  history.pushState = function () {
    pushState.apply(this, arguments);
    pageview();
  };
  win.addEventListener("popstate", pageview);
  if (hashMode) win.addEventListener("hashchange", pageview);
  doc.addEventListener("click", onClick);
  doc.addEventListener("auxclick", onClick);

  // Calls made before this script ran were queued by the snippet; replay them after the
  // pageview so a visit starts with its page.
  var queue = (win.footfall || {}).q || [];
  win.footfall = send;

  // A prerendered page that is never shown is not a pageview.
  if (doc.prerendering) doc.addEventListener("prerenderingchange", pageview);
  else pageview();
  queue.forEach(function (args) {
    send.apply(0, args);
  });
})();
