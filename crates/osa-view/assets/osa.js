// osa's one script, progressive: every page works without it. It filters tables (#filter over
// #filtered) and opens seed citations (a.cite) in the reader pane beside the page instead of
// leaving it. No inline script anywhere: the Content-Security-Policy forbids it.
'use strict';

function osaFilter() {
  var box = document.getElementById('filter');
  if (!box) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll('#filtered tbody tr'));
  var count = document.getElementById('count');
  function apply() {
    var q = box.value.toLowerCase();
    var shown = 0;
    rows.forEach(function (r) {
      var hit = r.textContent.toLowerCase().indexOf(q) !== -1;
      r.hidden = !hit;
      if (hit) { shown += 1; }
    });
    if (count) { count.textContent = shown + ' of ' + rows.length; }
  }
  box.addEventListener('input', apply);
  apply();
}

function osaReader() {
  var pane = document.getElementById('reader');
  if (!pane) { return; }
  var opener = null;
  function close() {
    pane.hidden = true;
    pane.textContent = '';
    document.body.classList.remove('reading');
    if (opener) { opener.focus(); }
  }
  function show(html, link) {
    pane.innerHTML = html;
    var bar = document.createElement('p');
    bar.className = 'reader-bar';
    var full = document.createElement('a');
    full.href = link.getAttribute('href');
    full.textContent = 'Open as a page';
    var btn = document.createElement('button');
    btn.type = 'button';
    btn.textContent = 'Close';
    btn.addEventListener('click', close);
    bar.appendChild(full);
    bar.appendChild(document.createTextNode(' '));
    bar.appendChild(btn);
    pane.insertBefore(bar, pane.firstChild);
    pane.hidden = false;
    document.body.classList.add('reading');
    var h = pane.querySelector('h2');
    if (h) { h.tabIndex = -1; h.focus(); }
    var first = pane.querySelector('li.cited');
    if (first) { first.scrollIntoView({ block: 'nearest' }); }
  }
  document.addEventListener('click', function (e) {
    var a = e.target.closest ? e.target.closest('a.cite[data-lines]') : null;
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
    e.preventDefault();
    opener = a;
    fetch('/seed?lines=' + encodeURIComponent(a.getAttribute('data-lines')) + '&fragment=1',
      { credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.text();
      })
      .then(function (html) { show(html, a); })
      .catch(function () { window.location.href = a.getAttribute('href'); });
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !pane.hidden) { close(); }
  });
}

document.addEventListener('DOMContentLoaded', function () {
  osaFilter();
  osaReader();
});
