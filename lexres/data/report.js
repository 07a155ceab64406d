// `lexres report`: sortable tables and the index filters (inlined into every page; no CDN)
function cellValue(row, i) {
  var c = row.cells[i]; var v = c.getAttribute('data-value');
  return v === null ? c.textContent.trim() : v;
}
document.querySelectorAll('table.sortable').forEach(function (t) {
  t.querySelectorAll('thead th').forEach(function (th, i) {
    th.addEventListener('click', function () {
      var asc = th.getAttribute('data-dir') !== 'asc';
      th.setAttribute('data-dir', asc ? 'asc' : 'desc');
      var rows = Array.prototype.slice.call(t.tBodies[0].rows);
      rows.sort(function (a, b) {
        var x = cellValue(a, i), y = cellValue(b, i), nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny) && isFinite(x) && isFinite(y)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { t.tBodies[0].appendChild(r); });
    });
  });
});
function applyFilters() {
  var box = document.getElementById('q'); if (!box) return;
  var q = box.value.toLowerCase();
  var need = Array.prototype.map.call(document.querySelectorAll('input.has:checked'), function (e) {
    return e.value; });
  var ready = document.getElementById('ready').checked, shown = 0;
  document.querySelectorAll('#langs tbody tr').forEach(function (r) {
    var kinds = ' ' + r.getAttribute('data-kinds') + ' ';
    var ok = r.getAttribute('data-search').indexOf(q) >= 0 &&
      need.every(function (k) { return kinds.indexOf(' ' + k + ' ') >= 0; }) &&
      (!ready || r.getAttribute('data-ready') === '1');
    r.style.display = ok ? '' : 'none'; if (ok) shown++;
  });
  document.getElementById('shown').textContent = shown;
}
document.querySelectorAll('.filters input').forEach(function (e) {
  e.addEventListener('input', applyFilters); e.addEventListener('change', applyFilters); });
