// osa's one script, progressive: every page but the upload forms works without it. It filters
// tables (#filter over #filtered), opens seed citations (a.cite) in the reader pane beside the page
// instead of leaving it, sends the files of upload forms (input[data-upload]) to
// POST /api/v1/uploads with a progress bar before submitting the form with their SHA-256, and
// follows a trade ingest job's progress (#job), shows <time datetime> in the reader's time zone, and
// scrolls the value-chain graph to the chosen holder's first chokepoint. No inline script anywhere: the Content-Security-Policy forbids it.
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

// Sends one file to /api/v1/uploads; calls done(sha256) or fail(message).
function osaSend(file, id, done, fail) {
  var bar = document.getElementById(id + '-progress');
  var status = document.getElementById(id + '-status');
  var xhr = new XMLHttpRequest();
  xhr.open('POST', '/api/v1/uploads');
  xhr.setRequestHeader('Content-Type', 'application/octet-stream');
  if (bar) { bar.hidden = false; bar.value = 0; }
  xhr.upload.addEventListener('progress', function (e) {
    if (e.lengthComputable && bar) { bar.value = Math.floor(100 * e.loaded / e.total); }
    if (status) { status.textContent = ' ' + Math.floor(100 * e.loaded / (e.total || 1)) + '%'; }
  });
  xhr.addEventListener('load', function () {
    var body = {};
    try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
    if (xhr.status === 201 && body.upload) {
      if (bar) { bar.value = 100; }
      if (status) { status.textContent = ' uploaded'; }
      done(body.upload);
    } else {
      fail(body.detail || ('the upload failed (HTTP ' + xhr.status + ')'));
    }
  });
  xhr.addEventListener('error', function () { fail('the upload failed (network)'); });
  xhr.send(file);
}

function osaUploads() {
  Array.prototype.forEach.call(document.querySelectorAll('form.upload-form'), function (form) {
    var busy = false;
    form.addEventListener('submit', function (e) {
      if (busy) { e.preventDefault(); return; }
      var todo = Array.prototype.filter.call(form.querySelectorAll('input[data-upload]'), function (i) {
        var hidden = form.querySelector('input[data-upload-for="' + i.id + '"]');
        return i.files && i.files.length > 0 && hidden && !hidden.value;
      });
      if (todo.length === 0) { return; }
      e.preventDefault();
      busy = true;
      var button = form.querySelector('button[type=submit]');
      if (button) { button.disabled = true; }
      var next = function () {
        var input = todo.shift();
        if (!input) { busy = false; form.submit(); return; }
        osaSend(input.files[0], input.id, function (sha) {
          form.querySelector('input[data-upload-for="' + input.id + '"]').value = sha;
          next();
        }, function (message) {
          busy = false;
          if (button) { button.disabled = false; }
          var status = document.getElementById(input.id + '-status');
          if (status) { status.textContent = ' ' + message; status.className = 'error'; }
        });
      };
      next();
    });
  });
}

function osaJob() {
  var box = document.getElementById('job');
  if (!box) { return; }
  var id = box.getAttribute('data-job');
  var tick = function () {
    fetch('/api/v1/jobs/' + encodeURIComponent(id), { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        var bar = document.getElementById('job-progress');
        if (bar && j.total > 0) { bar.value = Math.floor(100 * j.done / j.total); }
        document.getElementById('job-phase').textContent = j.phase;
        document.getElementById('job-bytes').textContent = j.done + ' of ' + j.total + ' bytes read';
        box.setAttribute('data-phase', j.phase);
        if (j.phase === 'done') {
          if (bar) { bar.value = 100; }
          document.getElementById('job-done').hidden = false;
        } else if (j.phase === 'failed') {
          var p = document.createElement('p');
          p.className = 'error';
          p.setAttribute('role', 'alert');
          p.textContent = j.error || 'failed';
          box.appendChild(p);
        } else {
          window.setTimeout(tick, 500);
        }
      })
      .catch(function () { window.setTimeout(tick, 2000); });
  };
  var phase = box.getAttribute('data-phase');
  if (phase !== 'done' && phase !== 'failed') { tick(); }
}

// Times: the server writes UTC to the minute inside <time datetime>; shown here in the reader's
// time zone, to the minute, with the zone's name (the UTC time stays as the tooltip).
function osaTimes() {
  var pad = function (n) { return (n < 10 ? '0' : '') + n; };
  Array.prototype.forEach.call(document.querySelectorAll('time[datetime]'), function (t) {
    var d = new Date(t.getAttribute('datetime'));
    if (isNaN(d.getTime()) || t.getAttribute('datetime').length < 16) { return; }
    var zone = '';
    try {
      zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' })
        .formatToParts(d).filter(function (p) { return p.type === 'timeZoneName'; })
        .map(function (p) { return p.value; }).join('');
    } catch (e) { zone = ''; }
    t.title = t.textContent;
    t.textContent = d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
      pad(d.getHours()) + ':' + pad(d.getMinutes()) + (zone ? ' ' + zone : '');
    t.setAttribute('data-local', '');
  });
}

// The value-chain graph is wider than most screens: its box scrolls to the chosen holder's first
// chokepoint (outlined rect.chokepoint) so the reader sees it without hunting for it.
function osaGraph() {
  var box = document.querySelector('figure.graph div.scroll');
  var cp = box && box.querySelector('rect.chokepoint');
  if (!cp) { return; }
  var b = box.getBoundingClientRect();
  var r = cp.getBoundingClientRect();
  box.scrollLeft += (r.left - b.left) - (b.width - r.width) / 2;
  box.scrollTop += (r.top - b.top) - (b.height - r.height) / 2;
}

document.addEventListener('DOMContentLoaded', function () {
  osaTimes();
  osaGraph();
  osaFilter();
  osaReader();
  osaUploads();
  osaJob();
});
