// Météo des DRIMbox: the search form, quicker where scripts run. Without
// this script the form still works: it leads to recherche.html, which
// lists every page of numbers and every operator. With it, a number goes
// straight to its DRIMbox's page and a name to its operator's page (or,
// when several match, to the list of those that do). Loaded from a file,
// never inline, so that the pages' Content-Security-Policy can forbid
// inline scripts.
(function () {
  "use strict";
  var form = document.getElementById("recherche");
  if (!form || !window.URLSearchParams) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var root = form.getAttribute("data-root") || "";
  var runs = (form.getAttribute("data-ids") || "").split(",");
  var result = document.getElementById("recherche-resultat");

  function known(n) {
    for (var i = 0; i < runs.length; i++) {
      var r = runs[i].split("-");
      var lo = parseInt(r[0], 10);
      var hi = r.length > 1 ? parseInt(r[1], 10) : lo;
      if (n >= lo && n <= hi) {
        return true;
      }
    }
    return false;
  }

  // number reads "12", "n° 12", "DRIMbox 12", "db12".
  function number(q) {
    var m = /^(?:drimbox|db|vi|n°|no|n)?\s*0*(\d{1,9})$/i.exec(q.trim());
    return m ? parseInt(m[1], 10) : -1;
  }

  function fold(s) {
    s = s.toLowerCase();
    if (s.normalize) {
      s = s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    }
    return s.replace(/\s+/g, " ").trim();
  }

  function say(text) {
    if (result) {
      result.textContent = text;
    }
  }

  // On any page with the form: a known number needs no stop on
  // recherche.html.
  form.addEventListener("submit", function (e) {
    var n = number(input.value);
    if (n >= 0 && known(n)) {
      e.preventDefault();
      location.href = root + "drimbox/" + n + ".html";
    }
  });

  // On recherche.html: answer the query the form sent.
  var operators = document.querySelectorAll("li[data-nom]");
  var q = new URLSearchParams(location.search).get("q");
  if (!result || q === null || q.trim() === "") {
    return;
  }
  input.value = q;
  var n = number(q);
  if (n >= 0) {
    if (known(n)) {
      location.replace(root + "drimbox/" + n + ".html");
    } else {
      say("Aucun DRIMbox suivi ne porte le numéro " + n + ". Les pages ci-dessous donnent les numéros suivis.");
    }
    return;
  }
  var want = fold(q);
  var found = [];
  for (var i = 0; i < operators.length; i++) {
    var li = operators[i];
    var match = fold(li.getAttribute("data-nom")).indexOf(want) >= 0;
    li.hidden = !match;
    if (match) {
      found.push(li);
    }
  }
  if (found.length === 1) {
    location.replace(found[0].querySelector("a").href);
    return;
  }
  if (found.length === 0) {
    for (var j = 0; j < operators.length; j++) {
      operators[j].hidden = false;
    }
    say("Aucun opérateur ne correspond à « " + q + " ». Voici tous les opérateurs.");
    return;
  }
  say(found.length + " opérateurs correspondent à « " + q + " ».");
})();
