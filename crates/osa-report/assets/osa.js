// osa's one script, progressive: pages work without it. Filters tables (#filter over #filtered).
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var box = document.getElementById('filter');
  if (!box) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll('#filtered tbody tr'));
  var count = document.getElementById('count');
  function apply() {
    var q = box.value.toLowerCase();
    var shown = 0;
    rows.forEach(function (r) {
      var hit = r.textContent.toLowerCase().indexOf(q) !== -1;
      r.style.display = hit ? '' : 'none';
      if (hit) { shown += 1; }
    });
    if (count) { count.textContent = shown + ' of ' + rows.length; }
  }
  box.addEventListener('input', apply);
  apply();
});
