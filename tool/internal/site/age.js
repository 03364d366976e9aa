// Météo des DRIMbox: keeps the age of the last run current ("il y a
// 4 minutes") beside its time, which the page shows without script.
(function () {
  "use strict";
  function plural(n, one, many) { return n + " " + (n < 2 ? one : many); }
  function words(s) {
    if (s < 60) { return "il y a moins d'une minute"; }
    var m = Math.floor(s / 60);
    if (m < 60) { return "il y a " + plural(m, "minute", "minutes"); }
    var h = Math.floor(m / 60);
    if (h < 48) { return "il y a " + plural(h, "heure", "heures") + (m % 60 ? " " + plural(m % 60, "minute", "minutes") : ""); }
    return "il y a " + plural(Math.floor(h / 24), "jour", "jours");
  }
  function tick() {
    var spans = document.querySelectorAll("[data-age-of]");
    for (var i = 0; i < spans.length; i++) {
      var t = document.getElementById(spans[i].getAttribute("data-age-of"));
      var at = t && Date.parse(t.getAttribute("datetime"));
      if (at) { spans[i].textContent = " (" + words(Math.max(0, Math.round((Date.now() - at) / 1000))) + ")"; }
    }
  }
  tick();
  setInterval(tick, 30000);
})();
